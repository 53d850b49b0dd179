import { handle } from "@/lib/http/handler";
import { getRunWithFamily } from "@/lib/pipelines/list-runs";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { runFamilySchema, runIdSchema } from "@/lib/openapi/schemas";

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getRun",
    summary: "Get a run with its parent and child runs",
    tags: ["runs"],
    parameters: [pathParameter("id", "The run's id", runIdSchema)],
    responses: {
      "200": jsonResponse("The run", runFamilySchema),
      "404": "NotFound",
    },
  },
}, async ({ params }) => getRunWithFamily(params.id));
