import { z } from "zod";
import type { ApprovalRow } from "./approvals.repository";

// The shape of an approval in API responses (the owner's and, trimmed, the agent's).

export const APPROVAL_KINDS = ["pipeline_call", "reply_draft", "job_result"] as const;
export const APPROVAL_STATUSES = ["pending", "approved", "denied", "withdrawn"] as const;

export const approvalDtoSchema = z
  .object({
    id: z.string().describe("apr_… (time-ordered)"),
    kind: z.enum(APPROVAL_KINDS).describe("pipeline_call: an agent asked to run a pipeline; reply_draft: a Gmail draft waiting to be sent; job_result: a result an agent flagged for a human"),
    status: z.enum(APPROVAL_STATUSES),
    title: z.string(),
    summary: z.string(),
    pipeline: z.string().nullable().describe("What approving runs (null for job_result)"),
    input: z.unknown().nullable(),
    agentId: z.string().nullable(),
    agentLabel: z.string().nullable(),
    jobId: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable().describe("Why it was denied (or withdrawn)"),
    runId: z.string().nullable().describe("The run approval started"),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Approval" });

export type ApprovalDto = z.infer<typeof approvalDtoSchema>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toApprovalDto(row: ApprovalRow): ApprovalDto {
  return {
    id: row.id,
    kind: row.kind as ApprovalDto["kind"],
    status: row.status as ApprovalDto["status"],
    title: row.title,
    summary: row.summary,
    pipeline: row.pipeline,
    input: row.input ?? null,
    agentId: row.agentId,
    agentLabel: row.agentLabel,
    jobId: row.jobId,
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
    reason: row.reason,
    runId: row.runId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What an agent learns about its own request: the decision, not the owner's identity. */
export const agentApprovalSchema = z
  .object({
    id: z.string(),
    status: z.enum(APPROVAL_STATUSES),
    pipeline: z.string().nullable(),
    reason: z.string().nullable(),
    runId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    pollUrl: z.string().describe("GET it (with your access token) to learn the decision"),
  })
  .meta({ id: "AgentApproval" });

export type AgentApproval = z.infer<typeof agentApprovalSchema>;

export function toAgentApproval(row: ApprovalRow): AgentApproval {
  return {
    id: row.id,
    status: row.status as AgentApproval["status"],
    pipeline: row.pipeline,
    reason: row.reason,
    runId: row.runId,
    createdAt: row.createdAt.toISOString(),
    decidedAt: iso(row.decidedAt),
    pollUrl: `/api/agent/approvals/${row.id}`,
  };
}
