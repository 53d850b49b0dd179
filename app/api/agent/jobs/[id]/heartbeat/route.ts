import { handle } from "@/lib/http/handler";
import { heartbeatJob, heartbeatRequest } from "@/lib/jobs/heartbeat-job";

export const POST = handle<{ id: string }>({ auth: "agent" }, async ({ agent, params, body }) => {
  const { leaseId } = await body(heartbeatRequest);
  return heartbeatJob(agent, params.id, leaseId);
});
