import { handle } from "@/lib/http/handler";
import { getJobForAgent } from "@/lib/jobs/read-jobs";

export const GET = handle<{ id: string }>({ auth: "agent" }, async ({ agent, params }) => getJobForAgent(agent, params.id));
