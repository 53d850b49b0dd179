import { RetryLater } from "@/lib/background/retry-later";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { isAppError } from "@/lib/errors";
import { crashPoint } from "@/lib/crash-point";
import { currentInstanceId } from "@/lib/instances";
import { getLogger } from "@/lib/logger";
import type { RunError } from "@/lib/pipelines/runner";
import { waitForRun } from "@/lib/pipelines/runner";
import { getPipeline } from "@/lib/pipelines/catalog";
import { recordSlotFired } from "@/lib/observability/observe";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import type { RunRow } from "@/lib/pipelines/runs.repository";
import { formatInZone } from "@/lib/schedules/cron";
import { MAX_CATCH_UP_LIMIT } from "@/lib/schedules/policies";
import * as slots from "@/lib/schedules/slots.repository";

// Runs the pipeline for one claimed slot. Safe to call any number of times, concurrently, from
// any instance: only the call that moves the slot from pending to running starts a run, and the
// run's idempotency key is the slot id, so a delivery retried after a crash finds that run again.
//
// Before starting, the schedule's other slots are looked at (under a per-schedule lock):
//   - slots claimed together by one tick (catch-up runs, or two on-time minutes) run one after
//     another, oldest first, whatever the overlap policy;
//   - a run of an earlier tick still going: overlap "skip" records this slot as skipped, "queue"
//     leaves it pending and asks the driver to retry later (RetryLater).

/** The slot's work: the same for every attempt at it (a retry after a crash included). */
export const slotWorkKey = (slotId: string) => `schedule:${slotId}`;

export type RunSlotResult = { outcome: "ran" | "skipped" | "already-done"; runId?: string };

/** How long a waiting slot asks to be retried after (RetryLater.retryAfterMs). */
export const WAIT_RETRY_MS = { sameTick: 1_000, overlap: 5_000 } as const;
/** Extra wait beyond the pipeline's own timeout before the run is left to the reconciler. */
const WAIT_MARGIN_MS = 15_000;

type Decision =
  | { action: "done"; result: RunSlotResult; kind?: slots.SlotToRun["kind"] }
  | { action: "start"; slot: slots.SlotToRun; startedAt: Date }
  | { action: "wait"; reason: string; retryAfterMs: number };

function describeSlot(slot: { slotAt: Date; runId: string | null }, timezone: string): string {
  return `the slot at ${formatInZone(slot.slotAt, timezone)}${slot.runId ? ` (${slot.runId})` : ""}`;
}

async function decide(slotId: string): Promise<Decision> {
  return withTransaction(async (tx) => {
    const slot = await slots.lockAndReadSlot(tx, slotId);
    if (!slot) return { action: "done", result: { outcome: "already-done" } }; // its schedule was deleted
    if (slot.status !== "pending") return { action: "done", result: { outcome: "already-done", runId: slot.runId ?? undefined } };

    const blockers = slot.blockers;
    const tz = slot.schedule.timezone;
    // A run-now slot keeps who asked for it ("Run now by …") in front of whatever else it says.
    const requested = slot.kind === "manual" ? (slot.reason?.split(" — ")[0] ?? null) : null;
    const say = (text: string) => (requested ? `${requested} — ${text}` : text);
    const sameTick = blockers.find((b) => b.claimedAt.getTime() === slot.claimedAt.getTime() && b.kind !== "manual" && slot.kind !== "manual");
    const running = blockers.find((b) => b.status === "running");
    const now = new Date();

    if (sameTick) {
      const reason = say(`Waiting for ${describeSlot(sameTick, tz)}: slots claimed together run one after another`);
      await slots.markSlotWaiting(tx, slot.id, reason);
      return { action: "wait", reason, retryAfterMs: WAIT_RETRY_MS.sameTick };
    }
    if (running && slot.schedule.overlap === "skip") {
      const reason = say(`Skipped: the previous run (${describeSlot(running, tz)}) was still going (overlap: skip)`);
      await slots.finishSlot(tx, slot.id, { status: "skipped", reason, finishedAt: now });
      return { action: "done", result: { outcome: "skipped" }, kind: slot.kind };
    }
    if (blockers.length > 0 && slot.schedule.overlap === "queue") {
      const reason = say(`Waiting for ${describeSlot(running ?? blockers[0]!, tz)} to finish (overlap: queue)`);
      await slots.markSlotWaiting(tx, slot.id, reason);
      return { action: "wait", reason, retryAfterMs: WAIT_RETRY_MS.overlap };
    }
    if (!(await slots.markSlotRunning(tx, slot.id, now, requested, currentInstanceId()))) return { action: "done", result: { outcome: "already-done" } };
    return { action: "start", slot, startedAt: now };
  });
}

type ClosedRun = Pick<RunRow, "id" | "status" | "queuedAt" | "finishedAt" | "error">;

/** How a slot closes from its finished run: its status and reason follow the run's. */
export function slotCloseFromRun(run: ClosedRun) {
  const error = run.error as RunError | null;
  const status = run.status === "succeeded" ? ("succeeded" as const) : ("failed" as const);
  const what = run.status === "cancelled" ? "The run was cancelled" : "The run failed";
  const reason = status === "succeeded" ? null : `${what}${error?.message ? `: ${error.message}` : ""}`;
  return { status, reason, finishedAt: run.finishedAt ?? new Date(), run: { id: run.id, status: run.status, queuedAt: run.queuedAt } };
}

/** Closes a slot from its finished run and records the run as the schedule's last. */
export async function finishSlotFromRun(slotId: string, run: ClosedRun): Promise<void> {
  const { run: summary, ...outcome } = slotCloseFromRun(run);
  await slots.closeSlotWithRun(autocommit(), slotId, outcome, summary);
}

/**
 * Runs the slot's pipeline, or records why it did not run. Idempotent per slot. Slots the same
 * tick claimed after this one (catch-up runs) follow in the same call, so they do not each wait
 * for their own delivery's retry.
 */
export async function runScheduleSlot(slotId: string): Promise<RunSlotResult> {
  const { result, kind } = await runOneSlot(slotId);
  // Only catch-up slots have later slots of their tick behind them (an on-time slot is the tick's last).
  if (kind === "catch_up") await runFollowingSlots(slotId);
  return result;
}

async function runFollowingSlots(slotId: string): Promise<void> {
  let current = slotId;
  for (let i = 0; i < MAX_CATCH_UP_LIMIT + 2; i++) {
    const next = await slots.findNextSlotOfSameTick(autocommit(), current);
    if (!next) return;
    try {
      if ((await runOneSlot(next)).result.outcome === "already-done") return;
    } catch (error) {
      // Its own delivery (or the sweep) takes it from here.
      if (!(error instanceof RetryLater)) getLogger({ component: "schedules", slotId: next }).warn({ err: error }, "could not run the next caught-up slot");
      return;
    }
    current = next;
  }
}

async function runOneSlot(slotId: string): Promise<{ result: RunSlotResult; kind?: slots.SlotToRun["kind"] }> {
  const decision = await decide(slotId);
  if (decision.action === "done") return decision;
  if (decision.action === "wait") throw new RetryLater(decision.reason, decision.retryAfterMs);

  const { slot } = decision;
  crashPoint("slot:after-claim");
  const schedule = slot.schedule;
  const log = getLogger({ component: "schedules", scheduleId: schedule.id, slotId: slot.id });
  let run: RunRow;
  try {
    const started = await runPipeline({
      name: schedule.pipeline,
      input: schedule.input,
      trigger: "schedule",
      actor: { type: "schedule", id: schedule.id, label: schedule.name },
      // The first attempt's key is the slot id; a slot run again after its run was interrupted
      // derives it from that run (which it keeps), so a repeated delivery still starts one run.
      idempotencyKey: slot.runId ? `${slot.id}:after:${slot.runId}` : slot.id,
      workKey: slotWorkKey(slot.id),
      waitMs: 0,
    });
    run = started.run;
    recordSlotFired(schedule.pipeline, slot.kind, slot.slotAt);
  } catch (error) {
    if (isAppError(error) && (error.code === "validation_failed" || error.code === "not_found")) {
      // The pipeline was removed or its input schema changed since the schedule was saved: retrying will not help.
      const reason = `Could not start: ${error.message}`;
      await slots.finishSlot(autocommit(), slot.id, { status: "failed", reason, finishedAt: new Date() });
      log.warn({ err: error }, "scheduled run could not start");
      return { result: { outcome: "ran" }, kind: slot.kind };
    }
    await slots.releaseSlot(autocommit(), slot.id, slot.runId);
    throw error;
  }

  await slots.linkSlotRun(autocommit(), slot.id, run);
  const timeoutMs = getPipeline(schedule.pipeline).timeoutMs;
  const closed = run.status === "queued" || run.status === "running" ? await waitForRun(run.id, timeoutMs + WAIT_MARGIN_MS) : run;
  if (closed.status === "queued" || closed.status === "running") {
    // Still going in another instance (a reused run): the reconciler closes the slot when it ends.
    log.warn({ runId: run.id }, "scheduled run still open after its timeout; leaving it to the reconciler");
    return { result: { outcome: "ran", runId: run.id } };
  }
  crashPoint("slot:before-close");
  await finishSlotFromRun(slot.id, closed);
  return { result: { outcome: "ran", runId: run.id }, kind: slot.kind };
}
