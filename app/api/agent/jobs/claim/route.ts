import { handle } from "@/lib/http/handler";
import { claimJobs, claimRequest } from "@/lib/jobs/claim-jobs";
import { claimResponseSchema } from "@/lib/agents/api-schemas";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";

export const POST = handle({
  auth: "agent",
  openapi: {
    operationId: "claimAgentJobs",
    summary: "Claim queued jobs",
    description:
      "The oldest of the highest-priority queued jobs of the kinds asked for (all kinds in scope when left out), each with " +
      "a lease id and lease expiry. Asking for a kind outside the scope is a 403, recorded.",
    tags: ["agent", "jobs"],
    requestBody: jsonBody(claimRequest, "An empty object claims one job of any kind in scope"),
    responses: { "200": jsonResponse("The claimed jobs", claimResponseSchema), "400": "BadRequest" },
  },
}, async ({ agent, body, requestId }) => ({
  jobs: await claimJobs(agent, await body(claimRequest), requestId),
}));
