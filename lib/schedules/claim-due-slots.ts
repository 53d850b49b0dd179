import { databaseNow } from "@/lib/db/clock";
import { withTransaction } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import { iterateFireTimes, latestFiresBetween, nextFireTimes } from "@/lib/schedules/cron";
import { planSlots } from "@/lib/schedules/plan-slots";
import * as slots from "@/lib/schedules/slots.repository";

// The tick's one job: turn due schedules into slot rows, atomically. Each batch of due schedules
// is locked with FOR UPDATE SKIP LOCKED, their slots are inserted (ON CONFLICT DO NOTHING) and
// their next run time advanced in the same transaction, so however many instances tick at the
// same moment, each slot is claimed once. Three statements per batch, whatever its size.

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

async function claimBatch(now: Date): Promise<{ slotIds: string[]; full: boolean }> {
  return withTransaction(
    async (tx) => {
      const due = await slots.lockDueSchedules(tx, now, BATCH_SIZE);
      const rows: slots.NewSlot[] = [];
      const advances: slots.Advance[] = [];
      for (const schedule of due) {
        let planned: Planned;
        try {
          planned = planSchedule(schedule, now);
        } catch (error) {
          planned = unplannable(schedule, now, error);
        }
        rows.push(...planned.rows);
        advances.push(planned.advance);
      }
      const inserted = await slots.insertSlots(tx, rows, now);
      await slots.advanceSchedules(tx, advances);
      return { slotIds: inserted.filter((r) => r.status === "pending").map((r) => r.id), full: due.length === BATCH_SIZE };
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
  const { slotIds, full } = await claimBatch(now);
  if (slotIds.length > 0) getLogger({ component: "schedules" }).info({ count: slotIds.length }, "claimed due schedule slots");
  return { at: now.toISOString(), slotIds, more: full };
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
