import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { getConfig } from "@/lib/config";
import { autocommit, type Tx } from "@/lib/db/transaction";
import { accountIdFilter, type MailboxScope } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";

// Sync runs: one pass over a mailbox (a first backfill, an incremental sync from the history id,
// or the bounded full sync that replaces it when the history expired). A run is persisted first
// and then dispatched (request-sync.ts), so a lost dispatch is re-sent by the maintenance tick;
// executing it is lib/triage/sync.ts. This module does not import the background driver, so
// pipelines can use it without an import cycle (driver → schedules → pipeline registry).

export const SYNC_KINDS = ["backfill", "incremental", "full"] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];
export const SYNC_TRIGGERS = ["push", "poll", "backfill", "manual", "pipeline"] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];
export const SYNC_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const syncRunDtoSchema = z
  .strictObject({
    id: z.string().describe("tsr_…"),
    accountId: z.string(),
    kind: z.enum(SYNC_KINDS),
    status: z.enum(SYNC_STATUSES),
    trigger: z.enum(SYNC_TRIGGERS),
    startHistoryId: z.string().nullable(),
    endHistoryId: z.string().nullable(),
    sinceDays: z.number().int().nullable(),
    maxMessages: z.number().int().nullable(),
    total: z.number().int().describe("Messages to look at; known once the listing is done"),
    processed: z.number().int().describe("Messages looked at so far (triaged or skipped)"),
    skipped: z.number().int().describe("Already triaged, or not in the inbox"),
    autoApplied: z.number().int(),
    queuedForReview: z.number().int(),
    stageOneDecided: z.number().int(),
    modelCalls: z.number().int(),
    error: z.string().nullable(),
    requestedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    undoneAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "TriageSyncRun" });

export type SyncRunDto = z.infer<typeof syncRunDtoSchema>;
export type SyncRunRow = Prisma.TriageSyncRunGetPayload<object>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toSyncRunDto(row: SyncRunRow): SyncRunDto {
  return syncRunDtoSchema.parse({
    ...row,
    kind: row.kind as SyncKind,
    status: row.status as SyncStatus,
    trigger: row.trigger as SyncTrigger,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    undoneAt: iso(row.undoneAt),
  });
}

export type SyncRequest = {
  accountId: string;
  kind: SyncKind;
  trigger: SyncTrigger;
  requestedBy?: string | null;
  /** Backfill: how many days back and at most how many messages (defaults from config). */
  sinceDays?: number;
  maxMessages?: number;
};

export async function insertSyncRun(tx: Tx, request: SyncRequest): Promise<SyncRunRow> {
  const config = getConfig();
  const bounded = request.kind === "backfill";
  return tx.triageSyncRun.create({
    data: {
      id: newId("tsr"),
      accountId: request.accountId,
      kind: request.kind,
      trigger: request.trigger,
      requestedBy: request.requestedBy ?? null,
      sinceDays: bounded ? (request.sinceDays ?? config.TRIAGE_BACKFILL_DAYS) : null,
      maxMessages: bounded ? (request.maxMessages ?? config.TRIAGE_BACKFILL_MAX) : null,
    },
  });
}

/** One run of the scope's mailboxes; 404 when there is none or it is someone else's. */
export async function getSyncRun(scope: MailboxScope, id: string): Promise<SyncRunDto> {
  const accountId = await accountIdFilter(scope);
  const row = await autocommit().triageSyncRun.findFirst({ where: { id, ...(accountId ? { accountId } : {}) } });
  if (!row) throw new AppError("not_found", `No sync run ${id}`);
  return toSyncRunDto(row);
}

export async function listSyncRuns(scope: MailboxScope, options: { accountId?: string; limit?: number; before?: string } = {}): Promise<SyncRunDto[]> {
  const accountId = await accountIdFilter(scope, options.accountId);
  const rows = await autocommit().triageSyncRun.findMany({
    where: { ...(accountId ? { accountId } : {}), ...(options.before ? { id: { lt: options.before } } : {}) },
    orderBy: { id: "desc" },
    take: Math.min(options.limit ?? 20, 100),
  });
  return rows.map(toSyncRunDto);
}

/**
 * Runs persisted but not finished: queued a while ago (their dispatch was lost), or running while
 * nobody holds their mailbox's lease any more (the process running them died; a live sync renews
 * the lease after every batch, however long it takes).
 */
export async function findSyncRunsToRedispatch(olderThanMs = 120_000): Promise<{ runId: string }[]> {
  const rows = await autocommit().$queryRaw<{ id: string }[]>`
    SELECT r.id FROM triage_sync_runs r JOIN email_accounts a ON a.id = r.account_id
    WHERE (r.status = 'queued' AND r.created_at < ${new Date(Date.now() - olderThanMs)})
       OR (r.status = 'running' AND (a.sync_lease_holder IS DISTINCT FROM r.id OR a.sync_lease_until < now()))
    ORDER BY r.created_at LIMIT 100`;
  return rows.map((r) => ({ runId: r.id }));
}
