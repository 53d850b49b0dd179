import { Prisma, type CatchUpPolicy, type OverlapPolicy, type SlotKind, type SlotStatus } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { MAX_CATCH_UP_LIMIT } from "@/lib/schedules/policies";
import type { SlotRow } from "@/lib/schedules/schedules.repository";

// The queries behind claiming and running slots. Timestamps cross into raw SQL as ISO strings
// converted to UTC explicitly, so the session's TimeZone setting never shifts them (the columns
// are `timestamp without time zone`, holding UTC).

const utc = (date: Date) => date.toISOString();

export type DueSchedule = {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  catchUp: CatchUpPolicy;
  catchUpLimit: number;
  nextRunAt: Date;
  lastSlotAt: Date | null;
  /** What its slots run (copied onto each slot at the claim). */
  pipeline: string;
  input: unknown;
};

/**
 * Enabled schedules whose next slot is due, locked for this transaction. SKIP LOCKED: another
 * instance ticking at the same moment gets the others (or none), never the same ones.
 */
export async function lockDueSchedules(tx: Tx, now: Date, limit: number): Promise<DueSchedule[]> {
  const rows = await tx.$queryRaw<
    {
      id: string; name: string; cron: string; timezone: string; catch_up: CatchUpPolicy; catch_up_limit: number; next_run_at: Date;
      last_slot_at: Date | null; pipeline: string; input: unknown;
    }[]
  >`
    SELECT id, name, cron, timezone, catch_up::text AS catch_up, catch_up_limit, next_run_at, last_slot_at, pipeline, input
      FROM schedules
     WHERE enabled AND next_run_at <= (${utc(now)}::timestamptz AT TIME ZONE 'UTC')
     ORDER BY next_run_at
     LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    catchUp: r.catch_up,
    catchUpLimit: r.catch_up_limit,
    nextRunAt: r.next_run_at,
    lastSlotAt: r.last_slot_at,
    pipeline: r.pipeline,
    input: r.input,
  }));
}

export type NewSlot = {
  id: string;
  scheduleId: string;
  slotAt: Date;
  kind: SlotKind;
  status: SlotStatus;
  reason: string | null;
  /** A slot the claim starts at once (status running): its run, inserted in the same transaction. */
  run?: { id: string; startedAt: Date; instanceId: string };
};

/**
 * Inserts slot rows in one statement. A slot that already has a row (claimed before) is left as
 * it is: the unique (schedule, time) pair is the second line of defence against double firing.
 * Returns the rows actually inserted.
 */
export async function insertSlots(tx: Tx, slots: NewSlot[], claimedAt: Date): Promise<{ id: string; status: SlotStatus }[]> {
  if (slots.length === 0) return [];
  const payload = JSON.stringify(
    slots.map((s) => ({
      id: s.id,
      schedule_id: s.scheduleId,
      slot_at: utc(s.slotAt),
      kind: s.kind,
      status: s.status,
      reason: s.reason,
      run_id: s.run?.id ?? null,
      started_at: s.run ? utc(s.run.startedAt) : null,
      instance_id: s.run?.instanceId ?? null,
    })),
  );
  // Each slot keeps the schedule's pipeline and input as they are now: what was due is what runs,
  // even when the schedule is edited before a retry.
  return tx.$queryRaw<{ id: string; status: SlotStatus }[]>`
    INSERT INTO schedule_slots (id, schedule_id, slot_at, kind, status, reason, claimed_at, pipeline, input, run_id, started_at, instance_id, attempts)
    SELECT r.id, r.schedule_id, (r.slot_at::timestamptz AT TIME ZONE 'UTC'), r.kind::"SlotKind", r.status::"SlotStatus", r.reason,
           (${utc(claimedAt)}::timestamptz AT TIME ZONE 'UTC'), s.pipeline, s.input,
           r.run_id, (r.started_at::timestamptz AT TIME ZONE 'UTC'), r.instance_id, CASE WHEN r.run_id IS NULL THEN 0 ELSE 1 END
      FROM jsonb_to_recordset(${payload}::jsonb)
        AS r(id text, schedule_id text, slot_at text, kind text, status text, reason text, run_id text, started_at text, instance_id text)
      JOIN schedules s ON s.id = r.schedule_id
    ON CONFLICT (schedule_id, slot_at) DO NOTHING
    RETURNING id, status::text AS status`;
}

export type Advance = {
  id: string;
  nextRunAt: Date | null;
  lastSlotAt: Date | null;
  /** The run the claim started for it: recorded as its last run (running), unless a newer one is. */
  lastRun?: { id: string; at: Date };
};

/**
 * Sets each claimed schedule's next slot (and the latest slot claimed, and the run started) in one
 * statement: one new version of each schedule row per claim, not one more for the run's start.
 */
export async function advanceSchedules(tx: Tx, advances: Advance[]): Promise<void> {
  if (advances.length === 0) return;
  const payload = JSON.stringify(
    advances.map((a) => ({
      id: a.id,
      next_run_at: a.nextRunAt ? utc(a.nextRunAt) : null,
      last_slot_at: a.lastSlotAt ? utc(a.lastSlotAt) : null,
      last_run_id: a.lastRun?.id ?? null,
      last_run_at: a.lastRun ? utc(a.lastRun.at) : null,
    })),
  );
  const newer = Prisma.sql`(r.last_run_id IS NOT NULL AND (s.last_run_at IS NULL OR s.last_run_at <= (r.last_run_at::timestamptz AT TIME ZONE 'UTC')))`;
  await tx.$executeRaw`
    UPDATE schedules s
       SET next_run_at = (r.next_run_at::timestamptz AT TIME ZONE 'UTC'),
           last_slot_at = COALESCE((r.last_slot_at::timestamptz AT TIME ZONE 'UTC'), s.last_slot_at),
           last_run_id = CASE WHEN ${newer} THEN r.last_run_id ELSE s.last_run_id END,
           last_run_status = CASE WHEN ${newer} THEN 'running' ELSE s.last_run_status END,
           last_run_at = CASE WHEN ${newer} THEN (r.last_run_at::timestamptz AT TIME ZONE 'UTC') ELSE s.last_run_at END,
           updated_at = now()
      FROM jsonb_to_recordset(${payload}::jsonb) AS r(id text, next_run_at text, last_slot_at text, last_run_id text, last_run_at text)
     WHERE s.id = r.id`;
}

export type SlotToRun = SlotRow & {
  schedule: { id: string; name: string; pipeline: string; input: unknown; overlap: OverlapPolicy; timezone: string };
  /** Slots of the schedule that hold this one back: any running, and earlier ones not started yet. */
  blockers: Pick<SlotRow, "id" | "slotAt" | "status" | "kind" | "claimedAt" | "runId">[];
};

/**
 * Takes the schedule's slot lock (serializing overlap decisions without blocking its claims) and
 * reads the slot, its schedule and what blocks it, in two statements. Null when the slot is gone.
 */
export async function lockAndReadSlot(tx: Tx, id: string): Promise<SlotToRun | null> {
  await tx.$queryRaw`
    SELECT pg_advisory_xact_lock(hashtextextended('schedule-slots:' || schedule_id, 0))::text FROM schedule_slots WHERE id = ${id}`;
  const rows = await tx.$queryRaw<
    {
      id: string; schedule_id: string; slot_at: Date; kind: SlotKind; status: SlotStatus; reason: string | null; run_id: string | null;
      attempts: number; claimed_at: Date; started_at: Date | null; finished_at: Date | null;
      name: string; pipeline: string; input: unknown; overlap: OverlapPolicy; timezone: string;
      blockers: { id: string; slot_at: string; status: SlotStatus; kind: SlotKind; claimed_at: string; run_id: string | null }[] | null;
    }[]
  >`
    SELECT sl.id, sl.schedule_id, sl.slot_at, sl.kind::text AS kind, sl.status::text AS status, sl.reason, sl.run_id, sl.attempts,
           sl.claimed_at, sl.started_at, sl.finished_at, s.name, COALESCE(sl.pipeline, s.pipeline) AS pipeline,
           COALESCE(sl.input, s.input) AS input, s.overlap::text AS overlap, s.timezone,
           (SELECT json_agg(b ORDER BY b.slot_at) FROM (
              SELECT o.id, o.slot_at, o.status, o.kind, o.claimed_at, o.run_id FROM schedule_slots o
               WHERE o.schedule_id = sl.schedule_id AND o.id <> sl.id
                 AND (o.status = 'running' OR (o.status = 'pending' AND o.slot_at < sl.slot_at))
               ORDER BY o.slot_at LIMIT 20) b) AS blockers
      FROM schedule_slots sl JOIN schedules s ON s.id = sl.schedule_id
     WHERE sl.id = ${id}`;
  const row = rows[0];
  if (!row) return null;
  // json_agg renders timestamps without a zone; they are UTC.
  const fromJson = (value: string) => new Date(`${value}Z`);
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    slotAt: row.slot_at,
    kind: row.kind,
    status: row.status,
    reason: row.reason,
    runId: row.run_id,
    attempts: row.attempts,
    claimedAt: row.claimed_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    schedule: { id: row.schedule_id, name: row.name, pipeline: row.pipeline, input: row.input, overlap: row.overlap, timezone: row.timezone },
    blockers: (row.blockers ?? []).map((b) => ({
      id: b.id,
      slotAt: fromJson(b.slot_at),
      status: b.status,
      kind: b.kind,
      claimedAt: fromJson(b.claimed_at),
      runId: b.run_id,
    })),
  };
}

/** The oldest pending slot claimed by the same tick as this one, after it (not run-now slots). */
export async function findNextSlotOfSameTick(tx: Tx, slotId: string): Promise<string | null> {
  // The lateral scan walks this schedule's later slots by the (schedule_id, slot_at) index; with
  // the tick's filters outside it, the planner cannot pick the (status, claimed_at) index, which
  // holds every slot of a busy tick.
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT n.id
      FROM schedule_slots sl
     CROSS JOIN LATERAL (
       SELECT o.id, o.slot_at, o.claimed_at, o.kind, o.status FROM schedule_slots o
        WHERE o.schedule_id = sl.schedule_id AND o.slot_at > sl.slot_at
        ORDER BY o.slot_at LIMIT ${MAX_CATCH_UP_LIMIT + 2}) n
     WHERE sl.id = ${slotId} AND sl.kind <> 'manual'
       AND n.claimed_at = sl.claimed_at AND n.kind <> 'manual' AND n.status = 'pending'
     ORDER BY n.slot_at LIMIT 1`;
  return rows[0]?.id ?? null;
}

/** pending → running (clearing a waiting reason); false when another delivery got there first. */
export async function markSlotRunning(tx: Tx, id: string, startedAt: Date, reason: string | null, instanceId: string): Promise<boolean> {
  const { count } = await tx.scheduleSlot.updateMany({
    where: { id, status: "pending" },
    data: { status: "running", startedAt, reason, instanceId, attempts: { increment: 1 } },
  });
  return count === 1;
}

export async function markSlotWaiting(tx: Tx, id: string, reason: string): Promise<void> {
  await tx.scheduleSlot.updateMany({ where: { id, status: "pending" }, data: { reason, attempts: { increment: 1 } } });
}

/** running → pending again, after a start that failed for a reason worth retrying (its run unchanged: none, or an interrupted one). */
export async function releaseSlot(tx: Tx, id: string, runId: string | null = null): Promise<void> {
  await tx.scheduleSlot.updateMany({ where: { id, status: "running", runId }, data: { status: "pending", startedAt: null, instanceId: null } });
}

/**
 * running → pending again after its run was interrupted (its process died): the slot keeps the
 * interrupted run, from which the next attempt's idempotency key is derived.
 */
export async function reopenInterruptedSlot(tx: Tx, id: string, runId: string, reason: string): Promise<boolean> {
  const { count } = await tx.scheduleSlot.updateMany({
    where: { id, status: "running" },
    data: { status: "pending", startedAt: null, runId, reason, instanceId: null },
  });
  return count === 1;
}

export async function setSlotRun(tx: Tx, id: string, runId: string): Promise<void> {
  await tx.scheduleSlot.updateMany({ where: { id }, data: { runId } });
}

type RunSummary = { id: string; status: string; queuedAt: Date };

/**
 * Links the slot to its run and records the run as the schedule's last one (unless a newer run is
 * there), in one statement: the hot path of every scheduled run.
 */
export async function linkSlotRun(tx: Tx, slotId: string, run: RunSummary): Promise<void> {
  await tx.$executeRaw`
    WITH slot AS (UPDATE schedule_slots SET run_id = ${run.id} WHERE id = ${slotId} RETURNING schedule_id)
    UPDATE schedules SET last_run_id = ${run.id}, last_run_status = ${run.status}::"RunStatus",
           last_run_at = (${utc(run.queuedAt)}::timestamptz AT TIME ZONE 'UTC')
     WHERE id = (SELECT schedule_id FROM slot)
       AND (last_run_at IS NULL OR last_run_at <= (${utc(run.queuedAt)}::timestamptz AT TIME ZONE 'UTC'))`;
}

/** Closes an open slot from its finished run and records the run on the schedule, in one statement. */
export async function closeSlotWithRun(
  tx: Tx,
  slotId: string,
  outcome: { status: "succeeded" | "failed"; reason: string | null; finishedAt: Date },
  run: RunSummary,
): Promise<void> {
  await tx.$executeRaw`
    WITH slot AS (
      UPDATE schedule_slots
         SET status = ${outcome.status}::"SlotStatus", reason = COALESCE(${outcome.reason}, reason), run_id = ${run.id},
             finished_at = (${utc(outcome.finishedAt)}::timestamptz AT TIME ZONE 'UTC')
       WHERE id = ${slotId} AND status IN ('pending', 'running')
      RETURNING schedule_id)
    UPDATE schedules SET last_run_id = ${run.id}, last_run_status = ${run.status}::"RunStatus",
           last_run_at = (${utc(run.queuedAt)}::timestamptz AT TIME ZONE 'UTC')
     WHERE id = (SELECT schedule_id FROM slot)
       AND (last_run_at IS NULL OR last_run_at <= (${utc(run.queuedAt)}::timestamptz AT TIME ZONE 'UTC'))`;
}

/** Closes an open slot (a null reason leaves the current one, e.g. "Run now by …"); false when it was already closed. */
export async function finishSlot(
  tx: Tx,
  id: string,
  outcome: { status: "succeeded" | "failed" | "skipped"; reason: string | null; finishedAt: Date; runId?: string | null },
): Promise<boolean> {
  const { count } = await tx.scheduleSlot.updateMany({
    where: { id, status: { in: ["pending", "running"] } },
    data: {
      status: outcome.status,
      finishedAt: outcome.finishedAt,
      ...(outcome.reason === null ? {} : { reason: outcome.reason }),
      ...(outcome.runId ? { runId: outcome.runId } : {}),
    },
  });
  return count === 1;
}

/** Pending slots claimed over `olderThanMs` ago (database clock): their event was lost, or their delivery gave up waiting. */
export function findPendingSlots(tx: Tx, olderThanMs: number, limit: number): Promise<{ id: string }[]> {
  return tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM schedule_slots
     WHERE status = 'pending' AND claimed_at < (now() AT TIME ZONE 'UTC') - ${olderThanMs}::int * interval '1 millisecond'
     ORDER BY claimed_at
     LIMIT ${limit}`;
}

export type RunningSlot = {
  id: string;
  scheduleId: string;
  pipeline: string;
  runId: string | null;
  startedAt: Date | null;
  runStatus: string | null;
  /** Another instance runs it, and it is gone (or unknown): nobody will finish what it started. */
  orphaned: boolean;
};

/**
 * Running slots that may be stale: their run has finished (over `closeGraceMs` ago, or their
 * instance is gone: a live one closes its slots itself, in group commits that may lag a little
 * behind their runs), they never recorded one, or the instance running them is gone (judged by
 * the database's clock, which stamps the heartbeats).
 */
export async function findRunningSlotsToReconcile(
  tx: Tx,
  options: { startTimeoutMs: number; closeGraceMs: number; instanceStaleMs: number; currentInstanceId: string },
  limit: number,
): Promise<RunningSlot[]> {
  const { startTimeoutMs, closeGraceMs, instanceStaleMs, currentInstanceId } = options;
  const rows = await tx.$queryRaw<
    { id: string; schedule_id: string; pipeline: string; run_id: string | null; started_at: Date | null; run_status: string | null; orphaned: boolean }[]
  >`
    SELECT * FROM (
      SELECT sl.id, sl.schedule_id, COALESCE(sl.pipeline, s.pipeline) AS pipeline, sl.run_id, sl.started_at, r.status::text AS run_status,
             r.finished_at AS run_finished_at,
             sl.instance_id IS DISTINCT FROM ${currentInstanceId} AND NOT EXISTS (SELECT 1 FROM app_instances i
                          WHERE i.id = sl.instance_id
                            AND i.heartbeat_at >= (now() AT TIME ZONE 'UTC') - ${instanceStaleMs}::int * interval '1 millisecond') AS orphaned
        FROM schedule_slots sl
        JOIN schedules s ON s.id = sl.schedule_id
        LEFT JOIN pipeline_runs r ON r.id = sl.run_id
       WHERE sl.status = 'running') x
     WHERE (x.run_id IS NOT NULL AND x.run_status IN ('succeeded', 'failed', 'cancelled')
            AND (x.orphaned OR x.run_finished_at < (now() AT TIME ZONE 'UTC') - ${closeGraceMs}::int * interval '1 millisecond'))
        OR (x.run_id IS NULL AND (x.orphaned OR x.started_at < (now() AT TIME ZONE 'UTC') - ${startTimeoutMs}::int * interval '1 millisecond'))
        OR (x.run_id IS NOT NULL AND x.run_status IS NULL)
     ORDER BY x.started_at
     LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    scheduleId: r.schedule_id,
    pipeline: r.pipeline,
    runId: r.run_id,
    startedAt: r.started_at,
    runStatus: r.run_status,
    orphaned: r.orphaned,
  }));
}
