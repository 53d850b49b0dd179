import { withTransaction, autocommit } from "@/lib/db/transaction";
import { crashPoint } from "@/lib/crash-point";
import { isAppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { currentInstanceId } from "@/lib/instances";
import { getLogger } from "@/lib/logger";
import { recordSlotFired } from "@/lib/observability/observe";
import { getPipeline } from "@/lib/pipelines/catalog";
import type { AnyPipeline } from "@/lib/pipelines/define";
import { launchRun } from "@/lib/pipelines/runner";
import { finishRuns, type RunFinish, type RunRow } from "@/lib/pipelines/runs.repository";
import { slotCloseFromRun } from "@/lib/schedules/run-slot";
import * as batch from "@/lib/schedules/slot-batch.repository";
import { createWriteBatcher } from "@/lib/db/write-batcher";

// The fast path for a crowd of due slots (a full minute of every-minute schedules): one
// transaction starts a whole batch — locks the slots, records their runs, marks them running and
// linked — the pipelines then run at once in this process, and their ends are written in a few
// group commits (write-batcher). Per slot that is a share of four statements, not a dozen.
//
// The same guarantees as run-slot.ts: a slot starts once (its row is locked and must still be
// pending, its run's idempotency key is the slot id), under its schedule's slot lock, and only
// when no other slot of its schedule is pending or running — every slot that decide() would have
// to order, skip or queue is handed back to the one-slot path. A crash after the batch committed
// leaves running slots with interrupted runs, which recovery runs again (pending-slots.ts).

/** `ran` settles when the pipeline has finished (its run closed), `done` once the slot is closed too. */
export type StartedSlot = { slotId: string; runId: string; ran: Promise<void>; done: Promise<void> };
export type SlotBatch = {
  started: StartedSlot[];
  /** Slots to run one at a time (run-slot.ts): busy schedules, slots being started elsewhere, input to reject. */
  rest: string[];
};

/** Runs launched between two turns of the event loop. */
const LAUNCH_CHUNK = 50;

/** A slot that may start: its pipeline and its validated input. */
export type SlotCandidate = { slot: batch.SlotToStart; pipeline: AnyPipeline; input: unknown };

/** Null when the slot cannot start here (a removed pipeline, input its schema rejects): the one-slot path records why. */
export function prepareSlotStart(slot: batch.SlotToStart): SlotCandidate | null {
  try {
    const pipeline = getPipeline(slot.pipeline);
    const parsed = pipeline.input.safeParse(slot.input ?? {});
    // Invalid input or a removed pipeline: the one-slot path records why it could not start.
    return parsed.success ? { slot, pipeline, input: parsed.data } : null;
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
}

/** Values are stored as JSON, as the runner stores them: Dates become strings, undefined null. */
const asJson = (value: unknown) => (value === undefined || value === null ? null : JSON.parse(JSON.stringify(value)));

const runFinishes = createWriteBatcher<RunFinish, boolean>(async (items) => {
  const closed = await finishRuns(autocommit(), items);
  return items.map((i) => closed.has(i.id));
});

const slotCloses = createWriteBatcher<batch.SlotClose, void>(async (items) => {
  await batch.closeSlotsWithRuns(autocommit(), items);
  return items.map(() => undefined);
});

/** Starts as many of these pending slots as can start at once, in one transaction; returns them and the rest. */
export async function startSlotBatch(slotIds: string[]): Promise<SlotBatch> {
  if (slotIds.length === 0) return { started: [], rest: [] };
  const instanceId = currentInstanceId();
  const { runs, candidates } = await withTransaction(async (tx) => {
    const locked = await batch.lockPendingSlots(tx, slotIds);
    const mine = locked.filter((l) => l.scheduleLocked).map((l) => l.id);
    const slots = mine.length > 0 ? await batch.readSlotsToStart(tx, mine) : [];
    const candidates = new Map<string, SlotCandidate>();
    for (const slot of slots) {
      if (slot.busy) continue;
      const candidate = prepareSlotStart(slot);
      if (candidate) candidates.set(slot.id, candidate);
    }
    return { runs: await batch.startSlotRuns(tx, slotRunStarts(candidates), new Date(), instanceId), candidates };
  });

  // Whatever did not start here (done already, being started elsewhere, or left for decide()) is
  // the one-slot path's to look at: it answers "already done" in one short transaction.
  const startedIds = new Set(runs.map((r) => r.slotId));
  const rest = slotIds.filter((id) => !startedIds.has(id));
  return { started: await launchSlotRuns(runs, candidates), rest };
}

/** The runs to record for these candidates (startSlotRuns), one new run id each. */
export function slotRunStarts(candidates: Map<string, SlotCandidate>): batch.SlotRunStart[] {
  return [...candidates.values()].map(({ slot, pipeline, input }) => ({
    slotId: slot.id,
    runId: newId("run"),
    scheduleId: slot.scheduleId,
    scheduleName: slot.scheduleName,
    pipeline: pipeline.name,
    input: asJson(input),
    timeoutMs: pipeline.timeoutMs,
  }));
}

/**
 * Runs the pipelines of slots whose runs were recorded as started (startSlotRuns) in a transaction
 * that has committed; their ends and the slots' closes are group-committed.
 */
export async function launchSlotRuns(runs: (RunRow & { slotId: string })[], candidates: Map<string, SlotCandidate>): Promise<StartedSlot[]> {
  if (runs.length === 0) return [];
  crashPoint("slot:after-claim");

  const started: StartedSlot[] = [];
  for (const [i, { slotId, ...run }] of runs.entries()) {
    // A batch is hundreds of runs: let requests waiting on this process in between.
    if (i > 0 && i % LAUNCH_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
    const { slot, pipeline, input } = candidates.get(slotId)!;
    recordSlotFired(pipeline.name, slot.kind, slot.slotAt);
    const { completion } = launchRun(pipeline, input, run as RunRow, {
      trigger: "schedule",
      actor: { type: "schedule", id: slot.scheduleId, label: slot.scheduleName },
      idempotencyKey: slot.id,
      workKey: run.workKey,
      resolve: getPipeline,
      finishRun: (id, outcome, finishedAt, durationMs) => runFinishes.add({ id, outcome, finishedAt, durationMs }),
    });
    const done = completion.then(async (closed) => {
      crashPoint("slot:before-close");
      await slotCloses.add({ slotId, ...slotCloseFromRun(closed) });
    });
    // A close that failed (the database went away) is left to the sweep, which closes a running slot from its finished run.
    done.catch((err: unknown) => getLogger({ component: "schedules", slotId }).error({ err }, "could not close a scheduled run's slot"));
    // Neither settles with an error: a run whose end could not be written is left open for recovery, as on the one-slot path.
    const ran = completion.then(
      () => undefined,
      () => undefined,
    );
    started.push({ slotId, runId: run.id, ran, done: done.catch(() => undefined) });
  }
  return started;
}
