import { autocommit } from "@/lib/db/transaction";
import { getLogger } from "@/lib/logger";
import { actorScope } from "@/lib/pipelines/runner";
import { currentInstanceId, INSTANCE_STALE_MS } from "@/lib/instances";
import { isInterruptedRun } from "@/lib/pipelines/recover-runs";
import { findRun, findRunByIdempotencyKey, listAttempts } from "@/lib/pipelines/runs.repository";
import { finishSlotFromRun, slotWorkKey } from "@/lib/schedules/run-slot";
import * as slots from "@/lib/schedules/slots.repository";

// The sweep that keeps slots from being lost: at start and on every tick, slots that were
// persisted but not finished are handed back for dispatch, and slots left "running" by a process
// that stopped are run again when their run was interrupted (up to MAX_SLOT_ATTEMPTS, under the
// slot's one work key), or closed from their run otherwise.

/** A pending slot this old has lost its event, or its delivery gave up waiting; a fresh one may still be in flight. */
export const REDISPATCH_AFTER_MS = 60_000;
/** A slot marked running that never recorded its run: the process stopped between the two writes. */
const START_TIMEOUT_MS = 2 * 60_000;
/** A live instance's slot whose run has ended is closed by that instance (batched, a moment later); this long after, the sweep does it. */
const CLOSE_GRACE_MS = 60_000;
const SWEEP_LIMIT = 1_000;

/** How many times a slot whose run was interrupted by a crash is run again. */
export const MAX_SLOT_ATTEMPTS = 5;

async function reconcileRunningSlots(now: Date): Promise<number> {
  const db = autocommit();
  const stale = await slots.findRunningSlotsToReconcile(
    db,
    { startTimeoutMs: START_TIMEOUT_MS, closeGraceMs: CLOSE_GRACE_MS, instanceStaleMs: INSTANCE_STALE_MS, currentInstanceId: currentInstanceId() },
    SWEEP_LIMIT,
  );
  let closed = 0;
  let reopened = 0;
  for (const slot of stale) {
    // The latest attempt counts: a retry may have started a run the slot had not linked yet.
    const attempts = await listAttempts(db, slotWorkKey(slot.id));
    const run =
      attempts.at(-1) ??
      (slot.runId
        ? await findRun(db, slot.runId)
        : await findRunByIdempotencyKey(db, slot.pipeline, actorScope({ type: "schedule", id: slot.scheduleId, label: "" }), slot.id));
    if (run && isInterruptedRun(run) && slot.orphaned && run.attempt < MAX_SLOT_ATTEMPTS) {
      // The process died mid-run. A transactional pipeline's effects were rolled back with it, and
      // the others carry the slot's work key, so running the slot again does its work once.
      const reason = `Running again: attempt ${run.attempt} was interrupted (the app stopped while it ran)`;
      if (await slots.reopenInterruptedSlot(db, slot.id, run.id, reason)) reopened++;
      continue;
    }
    if (!run) {
      if (slot.runId) {
        await slots.finishSlot(db, slot.id, { status: "failed", reason: "Its run no longer exists", finishedAt: now });
        closed++;
      } else {
        // Never started: back to pending, so this sweep dispatches it again.
        await slots.releaseSlot(db, slot.id);
      }
      continue;
    }
    if (!slot.runId) await slots.setSlotRun(db, slot.id, run.id);
    if (run.status !== "queued" && run.status !== "running") {
      await finishSlotFromRun(slot.id, run);
      closed++;
    }
  }
  return closed + reopened;
}

/**
 * Slots to dispatch again: pending for over `olderThanMs` (a minute), after closing or reopening
 * stale running ones. Ages are measured by the database's clock.
 */
export async function findSlotsToRedispatch(olderThanMs = REDISPATCH_AFTER_MS): Promise<{ slotId: string }[]> {
  const closed = await reconcileRunningSlots(new Date());
  const pending = await slots.findPendingSlots(autocommit(), olderThanMs, SWEEP_LIMIT);
  if (closed > 0 || pending.length > 0) {
    getLogger({ component: "schedules" }).info({ closed, redispatched: pending.length }, "swept unfinished schedule slots");
  }
  return pending.map((s) => ({ slotId: s.id }));
}
