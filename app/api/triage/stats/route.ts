import { handle } from "@/lib/http/handler";
import { statsQuery } from "@/lib/triage/api";
import { triageStats } from "@/lib/triage/read-triage";
import { jsonResponse } from "@/lib/openapi/operations";
import { statsResponseSchema } from "@/lib/triage/api-schemas";

export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "getTriageStats",
    summary: "How much mail triage handled, by stage, category and outcome",
    tags: ["triage"],
    query: statsQuery,
    responses: { "200": jsonResponse("The figures", statsResponseSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => ({ stats: await triageStats(user, query(statsQuery)) }));
