import { handle } from "@/lib/http/handler";
import { failJob, failRequest } from "@/lib/jobs/fail-job";

export const POST = handle<{ id: string }>({ auth: "agent" }, async ({ agent, params, body }) =>
  failJob(agent, params.id, await body(failRequest)),
);
