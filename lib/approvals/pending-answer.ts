import { NextResponse } from "next/server";
import { z } from "zod";
import { agentApprovalSchema, type AgentApproval } from "./approval-dto";
import { PENDING_APPROVAL_MESSAGE } from "./request-approval";

// The "pending approval" answer an agent gets when the owner's policy says to ask: HTTP 202 with
// the approval and where to poll it. Not an error: nothing ran, and the agent should wait.

export const pendingApprovalSchema = z
  .object({
    status: z.literal("pending_approval"),
    approval: agentApprovalSchema,
    message: z.string(),
  })
  .meta({ id: "PendingApproval" });

export function pendingApprovalBody(approval: AgentApproval) {
  return { status: "pending_approval" as const, approval, message: PENDING_APPROVAL_MESSAGE };
}

export function pendingApprovalResponse(approval: AgentApproval, requestId: string): NextResponse {
  return NextResponse.json(pendingApprovalBody(approval), {
    status: 202,
    headers: { "x-request-id": requestId, location: approval.pollUrl },
  });
}
