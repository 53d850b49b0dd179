import { handle } from "@/lib/http/handler";
import { listRuns, listRunsQuery } from "@/lib/pipelines/list-runs";
import { jsonResponse } from "@/lib/openapi/operations";
import { runListSchema } from "@/lib/openapi/schemas";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listRuns",
    summary: "List runs, newest first",
    description: "Filter by pipeline, status, trigger, actor, parent and time; page with `cursor` (the last run's id).",
    tags: ["runs"],
    query: listRunsQuery,
    responses: {
      "200": jsonResponse("A page of runs", runListSchema),
      "400": "BadRequest",
    },
  },
}, async ({ query }) => listRuns(query(listRunsQuery)));
