import { handle } from "@/lib/http/handler";
import { heartbeatJob, heartbeatRequest, heartbeatResponse } from "@/lib/jobs/heartbeat-job";
import { jobNotFound, leaseLost } from "@/lib/agents/api-schemas";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const POST = handle<{ id: string }>({
  auth: "agent",
  openapi: {
    operationId: "heartbeatAgentJob",
    summary: "Extend the lease on a claimed job",
    description: "By the kind's lease length, never past the attempt's max runtime. A lapsed lease cannot be revived (409).",
    tags: ["agent", "jobs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    requestBody: jsonBody(heartbeatRequest),
    responses: {
      "200": jsonResponse("The new lease expiry", heartbeatResponse),
      "400": "BadRequest",
      "404": jobNotFound,
      "409": leaseLost,
    },
  },
}, async ({ agent, params, body }) => {
  const { leaseId } = await body(heartbeatRequest);
  return heartbeatJob(agent, params.id, leaseId);
});
