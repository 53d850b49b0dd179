import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { getPipeline } from "@/lib/pipelines/catalog";
import type { Actor, RunTriggerName } from "@/lib/pipelines/define";
import { startRun, waitForRun } from "@/lib/pipelines/runner";
import * as runs from "@/lib/pipelines/runs.repository";
import type { RunRow } from "@/lib/pipelines/runs.repository";
import type { MailboxScope } from "@/lib/email/mailbox-access";
import { toApprovalDto, type ApprovalDto } from "./approval-dto";
import * as approvals from "./approvals.repository";
import { findVisibleApproval } from "./read-approvals";

// The owner decides. Approving moves the approval from pending to approved in one conditional
// update (two clicks approve once), then runs what it holds through the runner with the approval
// id as idempotency key: an agent's call as that agent (trigger "agent", on the agent's record),
// a reply draft as the owner through email.send-draft. Denying records the reason; for a reply
// draft it also deletes the draft from Gmail (email.discard-draft), the undo of drafting it. An
// approved call whose run failed can be retried, as a new run linked in place of the failed one.

export const denyBody = z.object({ reason: z.string().trim().min(1, "say why").max(1_000) }).meta({ id: "DenyApprovalRequest" });

/** Who decides: a signed-in user (who must be able to see the approval) or the CLI ("operator"). */
export type DecidedBy = { userId: string | null; label: string; trigger: RunTriggerName; viewer: MailboxScope };

export type Decision = { approval: ApprovalDto; run: RunRow | null };

const WAIT_MS = 10_000;

async function alreadyDecided(id: string): Promise<never> {
  const row = await approvals.findApproval(autocommit(), id);
  if (!row) throw new AppError("not_found", `There is no approval ${id}`);
  throw new AppError("conflict", `The approval is already ${row.status}`, { approvalId: id, status: row.status });
}

function runFor(row: approvals.ApprovalRow, by: DecidedBy): { name: string; input: unknown; actor: Actor; trigger: RunTriggerName } | null {
  if (!row.pipeline) return null;
  if (row.kind === "reply_draft") {
    const actor: Actor = by.userId ? { type: "user", id: by.userId, label: by.label } : { type: "system", label: by.label };
    return { name: row.pipeline, input: { approvalId: row.id }, actor, trigger: by.trigger };
  }
  const actor: Actor = { type: "agent", id: row.agentId ?? "unknown", label: row.agentLabel ?? row.agentId ?? "agent", tokenId: row.tokenId ?? undefined };
  return { name: row.pipeline, input: row.input as Prisma.JsonValue, actor, trigger: "agent" };
}

/**
 * Starts (once per key) the run an approved approval holds and links it; null when it holds none.
 * The first run's key is the approval id; a retry's is derived from the run it replaces.
 */
async function startApprovedRun(row: approvals.ApprovalRow, by: DecidedBy, key = `approval:${row.id}`): Promise<RunRow | null> {
  const call = runFor(row, by);
  if (!call) return null;
  const started = await startRun(getPipeline(call.name), call.input, {
    trigger: call.trigger,
    actor: call.actor,
    idempotencyKey: key,
    workKey: `approval:${row.id}`,
    resolve: getPipeline,
  });
  if (row.runId !== started.run.id) await approvals.setRun(autocommit(), row.id, started.run.id);
  return waitForRun(started.run.id, WAIT_MS);
}

/** An agent's call runs as the agent: only while it exists, is enabled and has the pipeline in scope. */
async function assertAgentStillMay(row: approvals.ApprovalRow, instead: string): Promise<void> {
  if (row.kind !== "pipeline_call" || !row.agentId) return;
  const agent = await autocommit().agent.findUnique({ where: { id: row.agentId }, select: { disabledAt: true, pipelines: true } });
  if (!agent || agent.disabledAt || !agent.pipelines.includes(row.pipeline ?? "")) {
    throw new AppError("conflict", `The agent is gone, disabled, or no longer has this pipeline in its scope; ${instead}`);
  }
}

export async function approve(id: string, by: DecidedBy): Promise<Decision> {
  const before = await findVisibleApproval(by.viewer, id);
  await assertAgentStillMay(before, "deny the request instead");
  const row = await approvals.decide(autocommit(), id, { status: "approved", decidedBy: by.label, reason: null });
  if (!row) return alreadyDecided(id);
  const run = await startApprovedRun(row, by);
  return { approval: toApprovalDto((await approvals.findApproval(autocommit(), id)) ?? row), run };
}

export async function deny(id: string, body: unknown, by: DecidedBy): Promise<Decision> {
  const parsed = denyBody.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, "The denial");
  await findVisibleApproval(by.viewer, id);
  const row = await approvals.decide(autocommit(), id, { status: "denied", decidedBy: by.label, reason: parsed.data.reason });
  if (!row) return alreadyDecided(id);
  let run: RunRow | null = null;
  if (row.kind === "reply_draft") {
    const actor: Actor = by.userId ? { type: "user", id: by.userId, label: by.label } : { type: "system", label: by.label };
    const started = await startRun(getPipeline("email.discard-draft"), { approvalId: id }, {
      trigger: by.trigger,
      actor,
      idempotencyKey: `approval-denied:${id}`,
      resolve: getPipeline,
    });
    run = await waitForRun(started.run.id, WAIT_MS);
    if (run.status !== "succeeded") getLogger({ component: "approvals" }).warn({ approvalId: id, runId: run.id }, "the denied draft could not be deleted");
  }
  return { approval: toApprovalDto(row), run };
}

/**
 * Runs an approved approval's call again after its run failed or was cancelled (say the mailbox
 * was disconnected when the reply was to be sent). Two clicks start one run (the key names the
 * failed run); the new run is linked to the approval and the old one stays on the record.
 */
export async function retryApprovedRun(id: string, by: DecidedBy): Promise<Decision> {
  const row = await findVisibleApproval(by.viewer, id);
  if (row.status !== "approved" || !row.runId) throw new AppError("conflict", `The approval is ${row.status}; only an approved call whose run failed can be retried`);
  const previous = await runs.findRun(autocommit(), row.runId);
  if (previous && previous.status !== "failed" && previous.status !== "cancelled") {
    throw new AppError("conflict", `The approved run ${row.runId} ${previous.status === "succeeded" ? "succeeded" : "is still going"}; there is nothing to retry`);
  }
  await assertAgentStillMay(row, "it cannot run again");
  const run = await startApprovedRun(row, by, `approval:${row.id}:after:${row.runId}`);
  getLogger({ component: "approvals" }).info({ approvalId: id, previousRunId: row.runId, runId: run?.id, by: by.label }, "approved run retried");
  return { approval: toApprovalDto((await approvals.findApproval(autocommit(), id)) ?? row), run };
}

/**
 * Approved approvals whose run never started (the process died between the decision and the
 * start): started now, once, by the maintenance tick.
 */
export async function resumeApprovedApprovals(now = new Date()): Promise<number> {
  const rows = await autocommit().approval.findMany({
    where: { status: "approved", runId: null, pipeline: { not: null }, decidedAt: { lte: new Date(now.getTime() - 30_000) } },
    take: 50,
  });
  for (const row of rows) {
    await startApprovedRun(row, { userId: null, label: row.decidedBy ?? "owner", trigger: "dashboard", viewer: "operator" }).catch((error: unknown) =>
      getLogger({ component: "approvals" }).error({ err: error, approvalId: row.id }, "could not start an approved run"),
    );
  }
  return rows.length;
}
