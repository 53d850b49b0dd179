import { Prisma, type RunStatus, type SlotKind } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import type { RunRow } from "@/lib/pipelines/runs.repository";

// The queries behind starting many due slots at once (lib/schedules/start-slot-batch.ts): a few
// statements per batch, whatever its size, instead of several commits per slot. Timestamps cross
// as ISO strings converted to UTC explicitly (the columns hold UTC without a zone).

const utc = (date: Date) => date.toISOString();
const ids = (values: string[]) => JSON.stringify(values);

/**
 * Locks the slots still pending and never started (SKIP LOCKED: a slot another instance is starting
 * is left to it) and tries their schedules' slot locks, the ones run-slot's decide() waits for.
 */
export async function lockPendingSlots(tx: Tx, slotIds: string[]): Promise<{ id: string; scheduleLocked: boolean }[]> {
  return tx.$queryRaw<{ id: string; scheduleLocked: boolean }[]>`
    SELECT sl.id, pg_try_advisory_xact_lock(hashtextextended('schedule-slots:' || sl.schedule_id, 0)) AS "scheduleLocked"
      FROM schedule_slots sl
     WHERE sl.id = ANY(ARRAY(SELECT jsonb_array_elements_text(${ids(slotIds)}::jsonb)))
       AND sl.status = 'pending' AND sl.run_id IS NULL
       FOR UPDATE OF sl SKIP LOCKED`;
}

/**
 * Of these schedules (locked by the claim that is inserting their new slots), the ones with no
 * other slot pending or running whose slot lock, the one run-slot's decide() waits for, was taken:
 * their new slot may start in the claim's own transaction.
 */
export async function lockIdleSchedules(tx: Tx, scheduleIds: string[]): Promise<Set<string>> {
  if (scheduleIds.length === 0) return new Set();
  // One index scan for all of them (= ANY), hashed: a correlated NOT EXISTS was planned as a scan of
  // the slots per schedule while the table grew faster than its statistics (a burst's claim).
  const list = ids(scheduleIds);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT s.id FROM jsonb_array_elements_text(${list}::jsonb) AS s(id)
     WHERE s.id NOT IN (SELECT o.schedule_id FROM schedule_slots o
                         WHERE o.schedule_id = ANY(ARRAY(SELECT jsonb_array_elements_text(${list}::jsonb))) AND o.status IN ('pending', 'running'))
       AND pg_try_advisory_xact_lock(hashtextextended('schedule-slots:' || s.id, 0))`;
  return new Set(rows.map((r) => r.id));
}

export type SlotToStart = {
  id: string;
  scheduleId: string;
  scheduleName: string;
  slotAt: Date;
  kind: SlotKind;
  reason: string | null;
  pipeline: string;
  input: unknown;
  /** Another slot of its schedule is pending or running: decide()'s ordering and overlap rules apply. */
  busy: boolean;
};

/**
 * The locked slots with what they run (the pipeline and input they were claimed with). Read after
 * the locks were taken, so a slot another delivery started meanwhile shows up as busy.
 */
export async function readSlotsToStart(tx: Tx, slotIds: string[]): Promise<SlotToStart[]> {
  return tx.$queryRaw<SlotToStart[]>`
    WITH c AS (
      SELECT sl.* FROM schedule_slots sl WHERE sl.id = ANY(ARRAY(SELECT jsonb_array_elements_text(${ids(slotIds)}::jsonb)))),
    busy AS (
      SELECT o.schedule_id FROM schedule_slots o
       WHERE o.schedule_id = ANY(ARRAY(SELECT schedule_id FROM c)) AND o.status IN ('pending', 'running')
       GROUP BY o.schedule_id HAVING count(*) > 1)
    SELECT c.id, c.schedule_id AS "scheduleId", s.name AS "scheduleName", c.slot_at AS "slotAt", c.kind::text AS kind, c.reason,
           COALESCE(c.pipeline, s.pipeline) AS pipeline, COALESCE(c.input, s.input) AS input,
           c.schedule_id IN (SELECT schedule_id FROM busy) AS busy
      FROM c JOIN schedules s ON s.id = c.schedule_id
     ORDER BY c.slot_at, c.id`;
}

export type SlotRunStart = {
  slotId: string;
  runId: string;
  scheduleId: string;
  scheduleName: string;
  pipeline: string;
  /** The validated input, as plain JSON. */
  input: unknown;
  timeoutMs: number;
};

/** The statement's start that records the runs (`runs`, one per start, RETURNING them as RunRow). */
function insertRunsCte(starts: SlotRunStart[], at: string, instanceId: string): Prisma.Sql {
  const payload = JSON.stringify(
    starts.map((s) => ({
      slot_id: s.slotId,
      run_id: s.runId,
      schedule_id: s.scheduleId,
      schedule_name: s.scheduleName,
      pipeline: s.pipeline,
      input: s.input ?? null,
      timeout_ms: s.timeoutMs,
    })),
  );
  return Prisma.sql`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${payload}::jsonb)
          AS r(slot_id text, run_id text, schedule_id text, schedule_name text, pipeline text, input jsonb, timeout_ms int)),
    runs AS (
      INSERT INTO pipeline_runs (id, pipeline, status, trigger, input, actor_type, actor_id, actor_label, idempotency_key,
                                 idempotency_scope, instance_id, timeout_ms, queued_at, started_at, work_key, attempt)
      SELECT r.run_id, r.pipeline, 'running', 'schedule', COALESCE(r.input, 'null'::jsonb), 'schedule', r.schedule_id, r.schedule_name, r.slot_id,
             'schedule:' || r.schedule_id, ${instanceId}, r.timeout_ms,
             (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC'), 'schedule:' || r.slot_id,
             (SELECT count(*) + 1 FROM pipeline_runs p WHERE p.work_key = 'schedule:' || r.slot_id)::int
        FROM r
      ON CONFLICT DO NOTHING
      RETURNING id, pipeline, status::text AS status, trigger::text AS trigger, input, output, error, actor_type::text AS "actorType",
                actor_id AS "actorId", actor_label AS "actorLabel", token_id AS "tokenId", request_id AS "requestId",
                idempotency_key AS "idempotencyKey", parent_run_id AS "parentRunId", conversation_id AS "conversationId",
                work_key AS "workKey", attempt, timeout_ms AS "timeoutMs", queued_at AS "queuedAt", started_at AS "startedAt",
                finished_at AS "finishedAt", duration_ms AS "durationMs")`;
}

/**
 * In one statement: records each slot's run (running, trigger schedule, the schedule as actor,
 * idempotency key the slot id, work key schedule:<slot>), marks the slot running with it, and
 * records the run as its schedule's last. A slot whose key already has a run (an earlier attempt
 * that never got linked) is left out, and left pending for the one-slot path. Returns the runs.
 */
export async function startSlotRuns(tx: Tx, starts: SlotRunStart[], startedAt: Date, instanceId: string): Promise<(RunRow & { slotId: string })[]> {
  if (starts.length === 0) return [];
  const at = utc(startedAt);
  return tx.$queryRaw<(RunRow & { slotId: string })[]>`
    ${insertRunsCte(starts, at, instanceId)},
    slots AS (
      -- Joined on the run's idempotency key, which is the slot id (a join of the two CTEs is planned as a nested loop).
      -- A run-now slot keeps who asked for it ("Run now by …") as its reason while it runs, as decide() does.
      UPDATE schedule_slots sl
         SET status = 'running', started_at = (${at}::timestamptz AT TIME ZONE 'UTC'), instance_id = ${instanceId},
             reason = CASE WHEN sl.kind = 'manual' THEN split_part(sl.reason, ' — ', 1) END,
             attempts = sl.attempts + 1, run_id = runs.id
        FROM runs
       WHERE sl.id = runs."idempotencyKey" AND sl.status = 'pending'),
    last AS (
      UPDATE schedules s
         SET last_run_id = runs.id, last_run_status = 'running', last_run_at = (${at}::timestamptz AT TIME ZONE 'UTC')
        FROM runs
       WHERE s.id = runs."actorId" AND (s.last_run_at IS NULL OR s.last_run_at <= (${at}::timestamptz AT TIME ZONE 'UTC')))
    SELECT runs.*, runs."idempotencyKey" AS "slotId" FROM runs`;
}

/**
 * Records the runs of slots inserted running with them in this transaction (insertSlots with a
 * `run`), which the claim also records as their schedules' last (advanceSchedules): the runs
 * only, so neither row is written twice. Returns the runs.
 */
export async function insertSlotRuns(tx: Tx, starts: SlotRunStart[], startedAt: Date, instanceId: string): Promise<(RunRow & { slotId: string })[]> {
  if (starts.length === 0) return [];
  return tx.$queryRaw<(RunRow & { slotId: string })[]>`
    ${insertRunsCte(starts, utc(startedAt), instanceId)}
    SELECT runs.*, runs."idempotencyKey" AS "slotId" FROM runs`;
}

export type SlotClose = {
  slotId: string;
  status: "succeeded" | "failed";
  reason: string | null;
  finishedAt: Date;
  run: { id: string; status: RunStatus; queuedAt: Date };
};

/**
 * closeSlotWithRun for many slots in one statement: closes each open slot from its finished run
 * and records the newest run as its schedule's last.
 */
export async function closeSlotsWithRuns(tx: Tx, closes: SlotClose[]): Promise<void> {
  if (closes.length === 0) return;
  const payload = JSON.stringify(
    closes.map((c) => ({
      slot_id: c.slotId,
      status: c.status,
      reason: c.reason,
      finished_at: utc(c.finishedAt),
      run_id: c.run.id,
      run_status: c.run.status,
      queued_at: utc(c.run.queuedAt),
    })),
  );
  await tx.$executeRaw`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${payload}::jsonb)
          AS r(slot_id text, status text, reason text, finished_at text, run_id text, run_status text, queued_at text)),
    closed AS (
      UPDATE schedule_slots sl
         SET status = r.status::"SlotStatus", reason = COALESCE(r.reason, sl.reason), run_id = r.run_id,
             finished_at = (r.finished_at::timestamptz AT TIME ZONE 'UTC')
        FROM r
       WHERE sl.id = r.slot_id AND sl.status IN ('pending', 'running')
      RETURNING sl.schedule_id, r.run_id, r.run_status, (r.queued_at::timestamptz AT TIME ZONE 'UTC') AS queued_at)
    UPDATE schedules s
       SET last_run_id = x.run_id, last_run_status = x.run_status::"RunStatus", last_run_at = x.queued_at
      FROM (SELECT DISTINCT ON (schedule_id) * FROM closed ORDER BY schedule_id, queued_at DESC) x
     WHERE s.id = x.schedule_id AND (s.last_run_at IS NULL OR s.last_run_at <= x.queued_at)`;
}
