import { Prisma } from "@/generated/prisma/client";
import * as audit from "@/lib/agents/audit.repository";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import * as jobs from "@/lib/jobs/jobs.repository";
import { getPipeline } from "@/lib/pipelines/catalog";
import { toAgentApproval, type AgentApproval } from "./approval-dto";
import * as approvals from "./approvals.repository";
import { scheduleApprovalNotice } from "./notify-owner";
import { policyFor } from "./policy";

// Records something for the owner to decide, once per dedupe key, and arms the batched
// notification. For agents' pipeline calls, the policy decides first: allow runs as before, deny
// is a 403, ask records the call (input validated first, so nothing invalid waits) and answers
// "pending approval" with an id the agent polls.

const SIDE_EFFECT_WORDS = { none: "It only reads.", internal: "It changes data here.", external: "It acts on an external system." } as const;

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** Inserts an approval; with a dedupe key already used, returns the first one instead. */
export async function recordApproval(data: Omit<approvals.NewApproval, "id">): Promise<{ approval: approvals.ApprovalRow; created: boolean }> {
  const db = autocommit();
  if (data.dedupeKey) {
    const existing = await approvals.findByDedupeKey(db, data.dedupeKey);
    if (existing) return { approval: existing, created: false };
  }
  // About a job made from mail (a flagged reply, say): as private as the job.
  const mailboxAccountId = data.mailboxAccountId ?? (data.jobId ? await jobs.findJobMailbox(db, data.jobId) : null);
  try {
    const approval = await approvals.insertApproval(db, { ...data, mailboxAccountId, id: newId("apr") });
    scheduleApprovalNotice();
    return { approval, created: true };
  } catch (error) {
    const winner = data.dedupeKey && isUniqueViolation(error) ? await approvals.findByDedupeKey(db, data.dedupeKey) : null;
    if (winner) return { approval: winner, created: false };
    throw error;
  }
}

export type AgentCallGate = { kind: "run" } | { kind: "pending"; approval: AgentApproval; created: boolean };

export const PENDING_APPROVAL_MESSAGE =
  "The owner must approve this call before it runs. Nothing has happened yet. Poll the approval (pollUrl, or the approvals_get tool) " +
  "until its status is approved (then runId is the run) or denied (reason says why); do not call again meanwhile.";

/** Applies the owner's policy to an agent's call of a pipeline already in its scope. */
export async function gateAgentCall(
  principal: AgentPrincipal,
  pipelineName: string,
  input: unknown,
  context: { requestId: string; idempotencyKey?: string | null },
): Promise<AgentCallGate> {
  const pipeline = getPipeline(pipelineName);
  const policy = await policyFor(principal.agentId, pipeline);
  if (policy.mode === "allow") return { kind: "run" };
  const auditBase = { agentId: principal.agentId, tokenId: principal.tokenId, target: pipeline.name, requestId: context.requestId };
  if (policy.mode === "deny") {
    await audit.recordAudit(autocommit(), { ...auditBase, action: "policy.denied", allowed: false, detail: { explicit: policy.explicit } });
    throw new AppError("forbidden", `The owner's policy does not let this agent run ${pipeline.name}`, { pipeline: pipeline.name, policy: "deny" });
  }
  const parsed = pipeline.input.safeParse(input ?? {});
  if (!parsed.success) throw validationError(parsed.error, `Input for ${pipeline.name}`);
  const { approval, created } = await recordApproval({
    kind: "pipeline_call",
    title: `${principal.agentName} asks to run ${pipeline.name}`,
    summary: `${pipeline.title}. ${SIDE_EFFECT_WORDS[pipeline.sideEffects]}`,
    pipeline: pipeline.name,
    input: parsed.data as Prisma.InputJsonValue,
    agentId: principal.agentId,
    agentLabel: principal.agentName,
    tokenId: principal.tokenId,
    jobId: null,
    dedupeKey: context.idempotencyKey ? `agent:${principal.agentId}:${pipeline.name}:${context.idempotencyKey}` : null,
    requestId: context.requestId,
  });
  if (created) {
    await audit.recordAudit(autocommit(), { ...auditBase, action: "approval.requested", allowed: true, detail: { approvalId: approval.id } });
  }
  return { kind: "pending", approval: toAgentApproval(approval), created };
}

/** An agent polls its own request; anyone else's is 404. */
export async function getApprovalForAgent(principal: AgentPrincipal, id: string): Promise<AgentApproval> {
  const row = await approvals.findApproval(autocommit(), id);
  if (!row || row.agentId !== principal.agentId || row.kind !== "pipeline_call") throw new AppError("not_found", "There is no such approval request from this agent");
  return toAgentApproval(row);
}
