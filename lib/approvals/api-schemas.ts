import { z } from "zod";
import { agentApprovalSchema, approvalDtoSchema } from "@/lib/approvals/approval-dto";
import { type approve, type deny, type retryApprovedRun } from "@/lib/approvals/decide-approval";
import { policySchema, type getAgentPolicies, type setPolicy } from "@/lib/approvals/policy";
import { approvalDetailSchema, approvalListSchema, type getApprovalDetail, type listApprovals } from "@/lib/approvals/read-approvals";
import type { getApprovalForAgent } from "@/lib/approvals/request-approval";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";
import { runDtoSchema } from "@/lib/pipelines/run-dto";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Approvals: the owner's list and decisions (/api/approvals/**, session), the per-agent policies
// (/api/agents/{id}/policies), and the agent's poll of its own request (/api/agent/approvals/{id}).

export const decisionSchema = z.object({ approval: approvalDtoSchema, run: runDtoSchema.nullable().describe("The run the decision started, if any") }).meta({ id: "ApprovalDecision" });
export const countSchema = z.object({ pending: z.number().int() }).meta({ id: "PendingApprovalCount" });
export const policiesSchema = z.object({ policies: z.array(policySchema) }).meta({ id: "ApprovalPolicyList" });
export const policyResponseSchema = z.object({ policy: policySchema });
export const agentApprovalResponseSchema = z.object({ approval: agentApprovalSchema });

export type ApprovalPathChecks = [
  Expect<Exactly<z.infer<typeof approvalListSchema>, Returned<typeof listApprovals>>>,
  Expect<Exactly<z.infer<typeof approvalDetailSchema>, Returned<typeof getApprovalDetail>>>,
  Expect<Exactly<z.infer<typeof approvalDtoSchema>, Returned<typeof approve>["approval"]>>,
  Expect<Exactly<z.infer<typeof approvalDtoSchema>, Returned<typeof deny>["approval"]>>,
  Expect<Exactly<z.infer<typeof approvalDtoSchema>, Returned<typeof retryApprovedRun>["approval"]>>,
  Expect<Exactly<z.infer<typeof policySchema>[], Returned<typeof getAgentPolicies>>>,
  Expect<Exactly<z.infer<typeof policySchema>, Returned<typeof setPolicy>>>,
  Expect<Exactly<z.infer<typeof agentApprovalSchema>, Returned<typeof getApprovalForAgent>>>,
];
