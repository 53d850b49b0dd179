import { databaseNow } from "@/lib/db/clock";
import { withTransaction } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import { iterateFireTimes, latestFiresBetween, nextFireTimes } from "@/lib/schedules/cron";
import { currentInstanceId } from "@/lib/instances";
import type { RunRow } from "@/lib/pipelines/runs.repository";
import { planSlots } from "@/lib/schedules/plan-slots";
import * as batch from "@/lib/schedules/slot-batch.repository";
import * as slots from "@/lib/schedules/slots.repository";
import { launchSlotRuns, prepareSlotStart, slotRunStarts, type SlotCandidate, type StartedSlot } from "@/lib/schedules/start-slot-batch";

// The tick's one job: turn due schedules into slot rows, atomically. Each batch of due schedules
// is locked with FOR UPDATE SKIP LOCKED, their slots are inserted (ON CONFLICT DO NOTHING) and
// their next run time advanced in the same transaction, so however many instances tick at the
// same moment, each slot is claimed once. Three statements per batch, whatever its size.
//
// The in-process driver also starts the new slots in that transaction (claimAndStartSlotRound):
// a schedule's one on-time slot, when no other slot of it is open, gets its run recorded and is
// marked running before the claim commits, as startSlotBatch would do a moment later in a second
// transaction that locks and reads the same rows again. Anything else (catch-up slots, a schedule
// still busy, input its pipeline rejects) is left pending and dispatched, as before.

const BATCH_SIZE = 1_000;
/** A million due schedules at most per tick; the next tick goes on. */
export const MAX_CLAIM_ROUNDS = 1_000;
/** At most this many slots are listed per schedule per claim (a week of an every-minute schedule is 10,080). */
export const MAX_LISTED_SLOTS = 100;

type Planned = { rows: slots.NewSlot[]; advance: slots.Advance };

function planSchedule(schedule: slots.DueSchedule, now: Date): Planned {
  // The first slot not yet claimed is nextRunAt; lastSlotAt guards against an edited nextRunAt.
  const fromMs = Math.max(schedule.nextRunAt.getTime() - 1, schedule.lastSlotAt?.getTime() ?? -Infinity);
  const from = new Date(fromMs);
  let fires: Date[] = [];
  let next: Date | null = null;
  let truncatedSince: Date | null = null;
  for (const at of iterateFireTimes(schedule.cron, schedule.timezone, from)) {
    if (at > now) {
      next = at;
      break;
    }
    fires.push(at);
    if (fires.length > MAX_LISTED_SLOTS) break;
  }
  if (fires.length > MAX_LISTED_SLOTS) {
    // A long outage: list only the most recent slots.
    const latest = latestFiresBetween(schedule.cron, schedule.timezone, from, now, MAX_LISTED_SLOTS);
    fires = latest.fires;
    truncatedSince = latest.truncated ? schedule.nextRunAt : null;
    next = nextFireTimes(schedule.cron, schedule.timezone, now, 1)[0] ?? null;
  }
  const plans = planSlots({ fires, truncatedSince, now, catchUp: schedule.catchUp, catchUpLimit: schedule.catchUpLimit });
  return {
    rows: plans.map((p) => ({ id: newId("slt"), scheduleId: schedule.id, slotAt: p.slotAt, kind: p.kind, status: p.status, reason: p.reason })),
    advance: { id: schedule.id, nextRunAt: next, lastSlotAt: fires[fires.length - 1] ?? null },
  };
}

/** A schedule whose times cannot be computed (say, a timezone a newer tz database dropped) says so in its history. */
function unplannable(schedule: slots.DueSchedule, now: Date, error: unknown): Planned {
  const message = error instanceof Error ? error.message : String(error);
  getLogger({ component: "schedules" }).error({ err: error, scheduleId: schedule.id }, "could not compute the schedule's fire times");
  return {
    rows: [{ id: newId("slt"), scheduleId: schedule.id, slotAt: now, kind: "regular", status: "failed", reason: `Could not compute fire times: ${message}` }],
    advance: { id: schedule.id, nextRunAt: null, lastSlotAt: now },
  };
}

type Claimed = { slotIds: string[]; full: boolean; runs: (RunRow & { slotId: string })[]; candidates: Map<string, SlotCandidate> };

/** Claims up to `size` due schedules' slots; starts up to `startUpTo` of them in the same transaction. */
async function claimBatch(now: Date, size: number, startUpTo: number): Promise<Claimed> {
  return withTransaction(
    async (tx) => {
      const due = await slots.lockDueSchedules(tx, now, size);
      const rows: slots.NewSlot[] = [];
      const advances: slots.Advance[] = [];
      // A schedule with exactly one slot to run now is the one whose slot may start here.
      const single = new Map<string, { schedule: slots.DueSchedule; row: slots.NewSlot }>();
      for (const schedule of due) {
        let planned: Planned;
        try {
          planned = planSchedule(schedule, now);
        } catch (error) {
          planned = unplannable(schedule, now, error);
        }
        rows.push(...planned.rows);
        advances.push(planned.advance);
        if (startUpTo > 0 && planned.rows.length === 1 && planned.rows[0]!.status === "pending") {
          single.set(schedule.id, { schedule, row: planned.rows[0]! });
        }
      }
      // Before the new slots exist: an open slot of the schedule is an earlier one.
      const idle = await batch.lockIdleSchedules(tx, [...single.keys()]);
      const candidates = new Map<string, SlotCandidate>();
      // Up to the room, among the idle ones (a busy schedule ahead in the order takes no one's place).
      for (const { schedule, row } of single.values()) {
        if (candidates.size >= startUpTo) break;
        if (!idle.has(schedule.id)) continue;
        const candidate = prepareSlotStart({
          id: row.id,
          scheduleId: schedule.id,
          scheduleName: schedule.name,
          slotAt: row.slotAt,
          kind: row.kind,
          reason: row.reason,
          pipeline: schedule.pipeline,
          input: schedule.input,
          busy: false,
        });
        if (candidate) candidates.set(row.id, candidate);
      }
      // A slot that starts here is inserted running, linked to its run, and its schedule's advance
      // records that run as its last: each row is written once (as startSlotRuns would write the
      // slot and the schedule a second time).
      const startedAt = new Date();
      const instanceId = currentInstanceId();
      const starts = new Map(slotRunStarts(candidates).map((s) => [s.slotId, s]));
      const toInsert = rows.map((row): slots.NewSlot => {
        const start = starts.get(row.id);
        return start ? { ...row, status: "running", reason: null, run: { id: start.runId, startedAt, instanceId } } : row;
      });
      const inserted = await slots.insertSlots(tx, toInsert, now);
      // Slots left out (a row for that time exists already) start no run.
      const running = new Set(inserted.filter((r) => r.status === "running").map((r) => r.id));
      const runs = await batch.insertSlotRuns(tx, [...starts.values()].filter((s) => running.has(s.slotId)), startedAt, instanceId);
      // Each slot id is new, so its run's idempotency key is free: a run left out would leave its slot running without it.
      if (runs.length !== running.size) throw new Error(`claimed ${running.size} slots to start but recorded ${runs.length} runs`);
      const lastRuns = new Map(runs.map((r) => [r.actorId, { id: r.id, at: startedAt }]));
      await slots.advanceSchedules(tx, advances.map((a) => ({ ...a, lastRun: lastRuns.get(a.id) })));
      const pending = inserted.filter((r) => r.status === "pending").map((r) => r.id);
      return { slotIds: pending, full: due.length === size, runs, candidates };
    },
    { timeoutMs: 120_000 },
  );
}

/**
 * One round of claiming: up to a thousand due schedules' slots at `at` (an ISO time; the database's
 * clock when not given, for the first round: what is due must not depend on which instance ticks).
 * `more` says another round may find others. The tick dispatches each round's slots before it
 * claims the next, so the first runs start while the rest are being claimed.
 */
export async function claimDueSlotRound(at?: string): Promise<{ at: string; slotIds: string[]; more: boolean }> {
  const now = at ? new Date(at) : await databaseNow();
  const { slotIds, full } = await claimBatch(now, BATCH_SIZE, 0);
  if (slotIds.length > 0) getLogger({ component: "schedules" }).info({ count: slotIds.length }, "claimed due schedule slots");
  return { at: now.toISOString(), slotIds, more: full };
}

/** Below this much room for runs, a round claims a full batch all the same and starts what fits (the rest waits in the driver's queue). */
const MIN_START_ROUND = 100;

/**
 * claimDueSlotRound for a driver that runs the slots in this process: up to `room` of the round's
 * slots start in the claim's transaction (the round claims no more schedules than that, so all of
 * them can, unless the room is small). `slotIds` are the claimed slots left to dispatch; `started`
 * are running here.
 */
export async function claimAndStartSlotRound(at: string | undefined, room: number): Promise<{ at: string; slotIds: string[]; more: boolean; started: StartedSlot[] }> {
  const now = at ? new Date(at) : await databaseNow();
  const startUpTo = Math.max(0, Math.min(room, BATCH_SIZE));
  const { slotIds, full, runs, candidates } = await claimBatch(now, room >= MIN_START_ROUND ? startUpTo : BATCH_SIZE, startUpTo);
  if (slotIds.length + runs.length > 0) {
    getLogger({ component: "schedules" }).info({ count: slotIds.length + runs.length, started: runs.length }, "claimed due schedule slots");
  }
  return { at: now.toISOString(), slotIds, more: full, started: await launchSlotRuns(runs, candidates) };
}

/** Claims every slot due at `now` (the database's clock unless given) and returns the ones to run (one event each). */
export async function claimDueSlots(at?: Date): Promise<{ slotId: string }[]> {
  let when = at?.toISOString();
  const claimed: string[] = [];
  // Each round moves its schedules' nextRunAt past `now`, so the next round finds others.
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const result = await claimDueSlotRound(when);
    when = result.at;
    claimed.push(...result.slotIds);
    if (!result.more) break;
  }
  return claimed.map((slotId) => ({ slotId }));
}
