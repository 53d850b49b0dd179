import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Data access for approvals. Every function takes the transaction it runs in. A decision is a
// conditional update (only a pending approval can be decided), so two clicks decide it once.

export type ApprovalRow = Prisma.ApprovalGetPayload<object>;

export type NewApproval = {
  id: string;
  kind: "pipeline_call" | "reply_draft" | "job_result";
  title: string;
  summary: string;
  pipeline: string | null;
  input: Prisma.InputJsonValue | null;
  agentId: string | null;
  agentLabel: string | null;
  tokenId: string | null;
  jobId: string | null;
  dedupeKey: string | null;
  requestId: string | null;
  /** The mailbox whose mail it is about: then only that mailbox's owner sees and decides it. */
  mailboxAccountId?: string | null;
};

export function insertApproval(tx: Tx, approval: NewApproval): Promise<ApprovalRow> {
  return tx.approval.create({ data: { ...approval, input: approval.input ?? Prisma.JsonNull } });
}

export function findApproval(tx: Tx, id: string): Promise<ApprovalRow | null> {
  return tx.approval.findUnique({ where: { id } });
}

export function findByDedupeKey(tx: Tx, key: string): Promise<ApprovalRow | null> {
  return tx.approval.findUnique({ where: { dedupeKey: key } });
}

export function findForJob(tx: Tx, jobId: string): Promise<ApprovalRow[]> {
  return tx.approval.findMany({ where: { jobId }, orderBy: { id: "asc" } });
}

/** The approvals of several jobs, oldest first. */
export function findForJobs(tx: Tx, jobIds: string[]): Promise<ApprovalRow[]> {
  if (jobIds.length === 0) return Promise.resolve([]);
  return tx.approval.findMany({ where: { jobId: { in: jobIds } }, orderBy: { id: "asc" } });
}

export type ApprovalFilters = {
  status?: string[];
  kind?: string[];
  agentId?: string;
  /** Which approvals about mail the reader may see (lib/email/mailbox-access.ts); unset: all. */
  visible?: Prisma.ApprovalWhereInput;
};

export function listApprovals(tx: Tx, filters: ApprovalFilters, take: number, cursor?: string): Promise<ApprovalRow[]> {
  return tx.approval.findMany({
    where: {
      ...(filters.visible ?? {}),
      ...(filters.status?.length ? { status: { in: filters.status } } : {}),
      ...(filters.kind?.length ? { kind: { in: filters.kind } } : {}),
      ...(filters.agentId ? { agentId: filters.agentId } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take,
  });
}

export function countPending(tx: Tx, visible?: Prisma.ApprovalWhereInput): Promise<number> {
  return tx.approval.count({ where: { ...(visible ?? {}), status: "pending" } });
}

/** pending → `status`; null when it was no longer pending (decided meanwhile). */
export async function decide(
  tx: Tx,
  id: string,
  decision: { status: "approved" | "denied" | "withdrawn"; decidedBy: string; reason: string | null },
): Promise<ApprovalRow | null> {
  const { count } = await tx.approval.updateMany({
    where: { id, status: "pending" },
    data: { status: decision.status, decidedBy: decision.decidedBy, reason: decision.reason, decidedAt: new Date() },
  });
  return count === 1 ? findApproval(tx, id) : null;
}

export function setRun(tx: Tx, id: string, runId: string): Promise<ApprovalRow> {
  return tx.approval.update({ where: { id }, data: { runId } });
}

/** Marks every pending, not yet notified approval as notified and returns them (one batch). */
export function claimUnnotified(tx: Tx): Promise<{ id: string; kind: string }[]> {
  return tx.$queryRaw<{ id: string; kind: string }[]>`
    UPDATE approvals SET notified_at = now(), updated_at = now()
     WHERE id IN (SELECT id FROM approvals WHERE status = 'pending' AND notified_at IS NULL FOR UPDATE SKIP LOCKED)
    RETURNING id, kind`;
}
