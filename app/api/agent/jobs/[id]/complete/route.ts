import { handle } from "@/lib/http/handler";
import { completeJob, completeRequest, completion } from "@/lib/jobs/complete-job";
import { jobNotFound, leaseLost } from "@/lib/agents/api-schemas";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "agent",
  openapi: {
    operationId: "completeAgentJob",
    summary: "Hand back a job's result",
    description:
      "The result must match the kind's result schema: a mismatch is a 400 listing every field, recorded on the job, and " +
      "the job stays claimed so it can be fixed within the lease. Idempotent: sending the same result again answers 200 " +
      "with idempotent: true; a different result for a completed job is a 409.",
    tags: ["agent", "jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    requestBody: jsonBody(completeRequest),
    responses: {
      "200": jsonResponse("The job succeeded", completion),
      "400": "BadRequest",
      "404": jobNotFound,
      "409": leaseLost,
    },
  },
}, async ({ agent, params, body }) => {
  const { leaseId, result } = await body(completeRequest);
  return completeJob(agent, params.id, leaseId, result);
});
