import { handle } from "@/lib/http/handler";
import { getApprovalForAgent } from "@/lib/approvals/request-approval";

// An agent polls a call the owner has to approve: pending, approved (with the run id) or denied (with the reason).
export const GET = handle<{ id: string }>({ auth: "agent" }, async ({ agent, params }) => ({ approval: await getApprovalForAgent(agent, params.id) }));
