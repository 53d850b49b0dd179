import { Prisma, type SlotStatus, type WebhookEventStatus } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Data access for received webhook events and their dispatches (one per subscription).
// Every function takes the transaction it runs in.

/** The database's clock, as the timestamp(3) columns store it: ages and due times are measured by one clock. */
const DB_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export const eventSummarySelect = {
  id: true,
  sourceId: true,
  deliveryId: true,
  eventType: true,
  status: true,
  error: true,
  attempts: true,
  autoRetries: true,
  nextAttemptAt: true,
  deadAt: true,
  receivedAt: true,
  dispatchedAt: true,
  processedAt: true,
  source: { select: { name: true } },
  dispatches: { select: { id: true, status: true, runId: true }, orderBy: { id: "asc" } },
} satisfies Prisma.WebhookEventSelect;

export type EventSummaryRow = Prisma.WebhookEventGetPayload<{ select: typeof eventSummarySelect }>;

export const dispatchSelect = {
  id: true,
  eventId: true,
  subscriptionId: true,
  runId: true,
  status: true,
  error: true,
  createdAt: true,
  updatedAt: true,
  subscription: { select: { eventType: true, pipeline: true, enabled: true, inputTemplate: true } },
} satisfies Prisma.WebhookDispatchSelect;

export type DispatchRow = Prisma.WebhookDispatchGetPayload<{ select: typeof dispatchSelect }>;

export const eventDetailSelect = {
  ...eventSummarySelect,
  headers: true,
  rawBody: true,
  payload: true,
  dispatches: { select: dispatchSelect, orderBy: { id: "asc" } },
} satisfies Prisma.WebhookEventSelect;

export type EventDetailRow = Prisma.WebhookEventGetPayload<{ select: typeof eventDetailSelect }>;

export type NewEvent = {
  id: string;
  sourceId: string;
  deliveryId: string;
  eventType: string | null;
  headers: Prisma.InputJsonValue;
  rawBody: string;
  payload: Prisma.InputJsonValue | typeof Prisma.JsonNull;
  status: WebhookEventStatus;
  error: Prisma.InputJsonValue | typeof Prisma.JsonNull;
  /** Legacy scheme only: the accepted signature's digest, unique per source (replays are refused). */
  signatureDigest: string | null;
};

export function insertEvent(tx: Tx, event: NewEvent) {
  return tx.webhookEvent.create({ data: event, select: { id: true, status: true } });
}

export function findEventByDelivery(tx: Tx, sourceId: string, deliveryId: string) {
  return tx.webhookEvent.findUnique({
    where: { sourceId_deliveryId: { sourceId, deliveryId } },
    select: { id: true, status: true },
  });
}

export function findEventForDispatch(tx: Tx, id: string) {
  return tx.webhookEvent.findUnique({
    where: { id },
    select: {
      id: true,
      sourceId: true,
      eventType: true,
      status: true,
      attempts: true,
      autoRetries: true,
      payload: true,
      headers: true,
      source: { select: { name: true } },
    },
  });
}

export function findEventDetail(tx: Tx, id: string): Promise<EventDetailRow | null> {
  return tx.webhookEvent.findUnique({ where: { id }, select: eventDetailSelect });
}

export type EventFilters = { sourceId?: string; status?: WebhookEventStatus[] };

/** Newest first; ids are time-ordered ULIDs, so the id itself is the cursor. */
export function listEvents(tx: Tx, filters: EventFilters, limit: number, before?: string): Promise<EventSummaryRow[]> {
  const where: Prisma.WebhookEventWhereInput = {
    sourceId: filters.sourceId,
    status: filters.status?.length ? { in: filters.status } : undefined,
  };
  return tx.webhookEvent.findMany({
    where: before ? { AND: [where, { id: { lt: before } }] } : where,
    orderBy: { id: "desc" },
    take: limit,
    select: eventSummarySelect,
  });
}

/** received → dispatched (never moves an event backwards from a later status). */
export async function markEventDispatched(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await tx.webhookEvent.updateMany({
    where: { id, status: "received" },
    data: { status: "dispatched", dispatchedAt: now },
  });
  return count === 1;
}

/** Counts one more dispatch attempt; returns the attempts before this one (0 = first). */
export async function countDispatchAttempt(tx: Tx, id: string, now: Date): Promise<number | null> {
  const rows = await tx.$queryRaw<{ attempts: number }[]>`
    UPDATE webhook_events
       SET attempts = attempts + 1,
           status = CASE WHEN status = 'received' THEN 'dispatched'::"WebhookEventStatus" ELSE status END,
           dispatched_at = COALESCE(dispatched_at, ${now})
     WHERE id = ${id} AND status <> 'invalid'
    RETURNING attempts - 1 AS attempts`;
  return rows[0]?.attempts ?? null;
}

export async function markEventProcessed(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.webhookEvent.updateMany({
    where: { id, status: { in: ["received", "dispatched", "failed", "processed"] } },
    data: { status: "processed", error: Prisma.JsonNull, processedAt: now, nextAttemptAt: null },
  });
}

/**
 * Records a failed attempt. While automatic retries are left (`delaysSeconds[auto_retries]`) and
 * one can help (`retryable`: some failure was not final), the event is failed and due again after
 * that delay by the database's clock; otherwise it is dead. Returns the status it now has, or null
 * when the event had already moved on (dead, invalid or gone).
 */
export async function failEvent(
  tx: Tx,
  id: string,
  outcome: { error: Prisma.InputJsonValue; retryable: boolean; delaysSeconds: readonly number[] },
): Promise<"failed" | "dead" | null> {
  const delays = outcome.delaysSeconds.join(",");
  const rows = await tx.$queryRaw<{ status: "failed" | "dead" }[]>`
    WITH next AS (
      SELECT id, CASE WHEN ${outcome.retryable}::boolean THEN (string_to_array(${delays}, ',')::int[])[auto_retries + 1] END AS delay
        FROM webhook_events WHERE id = ${id})
    UPDATE webhook_events e
       SET status = CASE WHEN next.delay IS NULL THEN 'dead' ELSE 'failed' END::"WebhookEventStatus",
           error = ${JSON.stringify(outcome.error)}::jsonb,
           processed_at = NULL,
           next_attempt_at = ${DB_NOW} + next.delay * interval '1 second',
           dead_at = CASE WHEN next.delay IS NULL THEN ${DB_NOW} END,
           dead_notified_at = NULL
      FROM next
     WHERE e.id = next.id AND e.status IN ('received', 'dispatched', 'failed', 'processed')
    RETURNING e.status::text AS status`;
  return rows[0]?.status ?? null;
}

/**
 * Claims failed events whose next automatic retry is due (by the database's clock) and reopens
 * them as dispatched, counting the retry: locked rows are skipped, so two ticks never take the
 * same event. A claimed event lost before it is dispatched is found again as unfinished.
 */
export function claimDueRetries(tx: Tx, limit: number): Promise<{ id: string }[]> {
  return tx.$queryRaw<{ id: string }[]>`
    UPDATE webhook_events
       SET status = 'dispatched', auto_retries = auto_retries + 1, next_attempt_at = NULL, dispatched_at = ${DB_NOW}
     WHERE id IN (SELECT id FROM webhook_events
                   WHERE status = 'failed' AND next_attempt_at <= ${DB_NOW}
                   ORDER BY next_attempt_at
                   LIMIT ${limit}
                   FOR UPDATE SKIP LOCKED)
    RETURNING id`;
}

/** Dead events the owner was not told about yet, claimed (marked notified) in the same statement. */
export function claimUnnotifiedDead(tx: Tx): Promise<{ id: string; source: string; eventType: string | null }[]> {
  return tx.$queryRaw<{ id: string; source: string; eventType: string | null }[]>`
    UPDATE webhook_events e
       SET dead_notified_at = ${DB_NOW}
      FROM webhook_sources s
     WHERE s.id = e.source_id
       AND e.id IN (SELECT id FROM webhook_events WHERE status = 'dead' AND dead_notified_at IS NULL FOR UPDATE SKIP LOCKED)
    RETURNING e.id, s.name AS source, e.event_type AS "eventType"`;
}

/** Failed events waiting for an automatic retry, dead ones, and when the next retry is due. */
export async function countEventsToHeal(tx: Tx): Promise<{ waiting: number; dead: number; nextAttemptAt: Date | null }> {
  const [counts, next] = await Promise.all([
    tx.webhookEvent.groupBy({ by: ["status"], where: { status: { in: ["failed", "dead"] } }, _count: { _all: true } }),
    tx.webhookEvent.aggregate({ where: { status: "failed" }, _min: { nextAttemptAt: true } }),
  ]);
  const of = (status: WebhookEventStatus) => counts.find((c) => c.status === status)?._count._all ?? 0;
  return { waiting: of("failed"), dead: of("dead"), nextAttemptAt: next._min.nextAttemptAt };
}

/** Events persisted but never finished (e.g. the process stopped before dispatching them). */
/** Events still received or dispatched, received over `olderThanMs` ago by the database's clock. */
export function findUnfinishedEvents(tx: Tx, olderThanMs: number, limit: number): Promise<{ id: string }[]> {
  return tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM webhook_events
     WHERE status IN ('received', 'dispatched')
       AND received_at < (now() AT TIME ZONE 'UTC') - ${olderThanMs}::int * interval '1 millisecond'
     ORDER BY received_at
     LIMIT ${limit}`;
}

export async function createDispatches(tx: Tx, rows: { id: string; eventId: string; subscriptionId: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.webhookDispatch.createMany({ data: rows, skipDuplicates: true });
}

export function listDispatches(tx: Tx, eventId: string): Promise<DispatchRow[]> {
  return tx.webhookDispatch.findMany({ where: { eventId }, orderBy: { id: "asc" }, select: dispatchSelect });
}

/**
 * Atomically takes a dispatch to run it: a pending one, a failed one unless its failure was
 * final (a template or input the pipeline refuses: only a manual retry runs it again), or a
 * running one whose worker went quiet before `staleBefore` (it crashed). Returns null when
 * another worker has it or it is done.
 */
export async function claimDispatch(
  tx: Tx,
  id: string,
  claim: { instanceId: string; staleAfterMs: number; instanceStaleMs: number },
): Promise<{ runId: string | null } | null> {
  // A running dispatch is taken over when it went quiet, or at once when the instance running it
  // is gone (stopped heartbeating, or was forgotten at a restart): it died mid-dispatch.
  const rows = await tx.$queryRaw<{ run_id: string | null }[]>`
    UPDATE webhook_dispatches d
       SET status = 'running', updated_at = ${DB_NOW}, instance_id = ${claim.instanceId}
     WHERE d.id = ${id}
       AND (d.status = 'pending'
            OR (d.status = 'failed' AND COALESCE((d.error ->> 'final')::boolean, false) = false)
            OR (d.status = 'running' AND d.updated_at < ${DB_NOW} - ${claim.staleAfterMs}::int * interval '1 millisecond')
            OR (d.status = 'running' AND d.instance_id IS NOT NULL AND d.instance_id <> ${claim.instanceId}
                AND NOT EXISTS (SELECT 1 FROM app_instances i
                                 WHERE i.id = d.instance_id
                                   AND i.heartbeat_at >= ${DB_NOW} - ${claim.instanceStaleMs}::int * interval '1 millisecond')))
    RETURNING d.run_id`;
  return rows[0] ? { runId: rows[0].run_id } : null;
}

export async function recordDispatchRun(tx: Tx, id: string, runId: string): Promise<void> {
  await tx.$executeRaw`UPDATE webhook_dispatches SET run_id = ${runId}, updated_at = ${DB_NOW} WHERE id = ${id}`;
}

export async function finishDispatch(
  tx: Tx,
  id: string,
  outcome: { status: Extract<SlotStatus, "succeeded" | "failed" | "skipped">; error: Prisma.InputJsonValue | null },
): Promise<void> {
  await tx.webhookDispatch.updateMany({
    where: { id, status: "running" },
    data: { status: outcome.status, error: outcome.error ?? Prisma.JsonNull },
  });
}

/** Manual retry: every failed dispatch of the event (final ones too) goes back to pending. */
export async function resetFailedDispatches(tx: Tx, eventId: string): Promise<number> {
  const { count } = await tx.webhookDispatch.updateMany({
    where: { eventId, status: "failed" },
    data: { status: "pending", error: Prisma.JsonNull },
  });
  return count;
}

/** Manual retry: the event is dispatched again, with a fresh schedule of automatic retries. */
export async function reopenEvent(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.webhookEvent.update({
    where: { id },
    data: {
      status: "dispatched",
      dispatchedAt: now,
      processedAt: null,
      error: Prisma.JsonNull,
      autoRetries: 0,
      nextAttemptAt: null,
      deadAt: null,
      deadNotifiedAt: null,
    },
  });
}
