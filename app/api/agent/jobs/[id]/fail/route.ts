import { handle } from "@/lib/http/handler";
import { failJob, failRequest, failure } from "@/lib/jobs/fail-job";
import { jobNotFound, leaseLost } from "@/lib/agents/api-schemas";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "agent",
  openapi: {
    operationId: "failAgentJob",
    summary: "Give up on an attempt",
    description:
      "A retryable failure with attempts left goes back to the queue after an exponential backoff (5 s, 10 s, 20 s … at " +
      "most 5 min); otherwise the job is failed.",
    tags: ["agent", "jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    requestBody: jsonBody(failRequest),
    responses: {
      "200": jsonResponse("Queued again, or failed for good", failure),
      "400": "BadRequest",
      "404": jobNotFound,
      "409": leaseLost,
    },
  },
}, async ({ agent, params, body }) =>
  failJob(agent, params.id, await body(failRequest)),
);
