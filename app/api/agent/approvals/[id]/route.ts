import { handle } from "@/lib/http/handler";
import { getApprovalForAgent } from "@/lib/approvals/request-approval";
import { agentApprovalResponseSchema } from "@/lib/approvals/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

// An agent polls a call the owner has to approve: pending, approved (with the run id) or denied (with the reason).
export const GET = handle<{ id: string }>({
  auth: "agent",
  openapi: {
    operationId: "getAgentApproval",
    summary: "Poll a call that waits for the owner's approval",
    description:
      "When a pipeline call answers 202 with status pending_approval, nothing has run. Poll this (e.g. on your next round) " +
      "until status is approved (runId is the run, with you as its actor) or denied (reason says why; do not retry the same call).",
    tags: ["agent", "approvals"],
    parameters: [pathParameter("id", "The approval's id (apr_…)", { type: "string" })],
    responses: { "200": jsonResponse("The request and its decision", agentApprovalResponseSchema), "404": "NotFound" },
  },
}, async ({ agent, params }) => ({ approval: await getApprovalForAgent(agent, params.id) }));
