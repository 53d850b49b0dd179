import { handle } from "@/lib/http/handler";
import { completeJob, completeRequest } from "@/lib/jobs/complete-job";

export const POST = handle<{ id: string }>({ auth: "agent" }, async ({ agent, params, body }) => {
  const { leaseId, result } = await body(completeRequest);
  return completeJob(agent, params.id, leaseId, result);
});
