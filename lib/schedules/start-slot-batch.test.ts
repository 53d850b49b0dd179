import { beforeEach, describe, expect, it } from "vitest";
import { drain, enqueue } from "@/inngest/in-process-driver";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { currentInstanceId } from "@/lib/instances";
import { failInterruptedRuns } from "@/lib/pipelines/recover-runs";
import { finishRuns } from "@/lib/pipelines/runs.repository";
import { claimAndStartSlotRound, claimDueSlots } from "@/lib/schedules/claim-due-slots";
import { findSlotsToRedispatch } from "@/lib/schedules/pending-slots";
import { runScheduleSlot } from "@/lib/schedules/run-slot";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";
import * as batch from "@/lib/schedules/slot-batch.repository";
import { startSlotBatch } from "@/lib/schedules/start-slot-batch";
import { findScheduleRow, findSlotRow, insertTestSlot, makeSchedule, runsOfSchedule, slotsOf } from "@/lib/schedules/test-kit";

// The batched fast path: a crowd of due slots started in one transaction per batch, with the same
// guarantees as the one-slot path (run-slot.test.ts): each slot runs once, in its schedule's order.

const at = (iso: string) => new Date(iso);
const slotDue = (slotIds: string[]) => slotIds.map((slotId) => ({ name: "schedule/slot.due" as const, data: { slotId } }));

/** The runs each slot has (by its work key), slot id → count. */
async function runsPerSlot(slotIds: string[]): Promise<number[]> {
  const runs = await autocommit().pipelineRun.findMany({ where: { workKey: { in: slotIds.map((id) => `schedule:${id}`) } }, select: { workKey: true } });
  return slotIds.map((id) => runs.filter((r) => r.workKey === `schedule:${id}`).length);
}

// Claiming takes every due schedule in the database: each test starts with none.
beforeEach(async () => {
  await autocommit().schedule.deleteMany();
});

describe("startSlotBatch", () => {
  it("starts many due slots in one batch; each runs once and is recorded as the one-slot path records it", async () => {
    const schedules = await Promise.all(Array.from({ length: 40 }, (_, i) => makeSchedule({ input: { message: `batch ${i}` }, nextRunAt: at("2026-05-04T10:00:00Z") })));
    const claimed = (await claimDueSlots(at("2026-05-04T10:00:30Z"))).map((c) => c.slotId);
    expect(claimed).toHaveLength(40);

    const { started, rest } = await startSlotBatch(claimed);
    expect(rest).toEqual([]);
    expect(started.map((s) => s.slotId).sort()).toEqual([...claimed].sort());
    await Promise.all(started.map((s) => s.done));

    expect(await runsPerSlot(claimed)).toEqual(claimed.map(() => 1));
    for (const [i, schedule] of schedules.entries()) {
      const [slot] = await slotsOf(schedule.id);
      const [run] = await runsOfSchedule(schedule.id);
      expect(run).toMatchObject({
        status: "succeeded",
        trigger: "schedule",
        actorType: "schedule",
        actorId: schedule.id,
        actorLabel: schedule.name,
        idempotencyKey: slot!.id,
        workKey: `schedule:${slot!.id}`,
        attempt: 1,
        output: { message: `batch ${i}`, actor: schedule.name, trigger: "schedule" },
      });
      expect(slot).toMatchObject({ status: "succeeded", runId: run!.id, reason: null, attempts: 1, startedAt: expect.any(Date), finishedAt: expect.any(Date) });
      expect(await findScheduleRow(schedule.id)).toMatchObject({ lastRunId: run!.id, lastRunStatus: "succeeded" });
    }
    // Delivered again (a re-dispatch): nothing starts twice.
    expect((await startSlotBatch(claimed)).started).toEqual([]);
    expect(await runScheduleSlot(claimed[0]!)).toMatchObject({ outcome: "already-done" });
    expect(await runsPerSlot(claimed)).toEqual(claimed.map(() => 1));
  });

  it("never runs a slot twice when two instances start the same slots at once, with the one-slot path racing them", async () => {
    await Promise.all(Array.from({ length: 60 }, () => makeSchedule({ nextRunAt: at("2026-05-04T11:00:00Z") })));
    const claimed = (await claimDueSlots(at("2026-05-04T11:00:30Z"))).map((c) => c.slotId);
    const reversed = [...claimed].reverse();
    const [a, b] = await Promise.all([startSlotBatch(claimed), startSlotBatch(reversed), ...claimed.slice(0, 5).map((id) => runScheduleSlot(id))]);
    const startedTwice = a!.started.filter((s) => b!.started.some((o) => o.slotId === s.slotId));
    expect(startedTwice).toEqual([]);
    await Promise.all([...a!.started, ...b!.started].map((s) => s.done));
    // What neither batch started went the one-slot way (it found the slot done, or ran it).
    await Promise.all([...new Set([...a!.rest, ...b!.rest])].map((id) => runScheduleSlot(id)));
    expect(await runsPerSlot(claimed)).toEqual(claimed.map(() => 1));
    const statuses = await autocommit().scheduleSlot.findMany({ where: { id: { in: claimed } }, select: { status: true } });
    expect(statuses.every((s) => s.status === "succeeded")).toBe(true);
  });

  it("leaves slots claimed together to the one-slot path, which runs them oldest first; the rest of the batch starts", async () => {
    const free = await makeSchedule({ nextRunAt: at("2026-05-04T12:00:00Z") });
    const { id } = await makeSchedule({ cron: "0 * * * *", catchUp: "all", catchUpLimit: 3, overlap: "skip", lastSlotAt: at("2026-05-04T08:00:00Z"), nextRunAt: at("2026-05-04T09:00:00Z") });
    const claimed = (await claimDueSlots(at("2026-05-04T12:00:30Z"))).map((c) => c.slotId);
    const together = (await slotsOf(id)).map((s) => s.id);
    expect(together).toHaveLength(4);

    const { started, rest } = await startSlotBatch(claimed);
    expect(started.map((s) => s.slotId)).toEqual([(await slotsOf(free.id))[0]!.id]);
    expect([...rest].sort()).toEqual([...together].sort());
    await Promise.all(started.map((s) => s.done));

    // Through the driver, as the tick sends them: the batch hands them on, they run one after another.
    enqueue(slotDue(claimed));
    await drain();
    const slots = await slotsOf(id);
    expect(slots.map((s) => `${s.slotAt.toISOString().slice(11, 16)} ${s.kind} ${s.status}`)).toEqual([
      "09:00 catch_up succeeded",
      "10:00 catch_up succeeded",
      "11:00 catch_up succeeded",
      "12:00 regular succeeded",
    ]);
    const runs = await runsOfSchedule(id);
    expect(runs.map((r) => r.idempotencyKey)).toEqual(slots.map((s) => s.id));
    const starts = runs.map((r) => r.startedAt!.getTime());
    const ends = runs.map((r) => r.finishedAt!.getTime());
    for (let i = 1; i < runs.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(ends[i - 1]!);
  });

  it("does not start a slot while its schedule's previous run is going: overlap skip records it skipped, queue waits", async () => {
    const skip = await makeSchedule({ overlap: "skip" });
    const queue = await makeSchedule({ overlap: "queue" });
    const slotIds: string[] = [];
    for (const schedule of [skip, queue]) {
      const runId = newId("run");
      await autocommit().pipelineRun.create({
        data: { id: runId, pipeline: "system.echo", status: "running", trigger: "schedule", input: {}, actorType: "schedule", actorId: schedule.id, actorLabel: "t", timeoutMs: 5000, startedAt: new Date() },
      });
      await insertTestSlot(schedule.id, { slotAt: at("2026-05-04T10:00:00Z"), status: "running", runId, startedAt: new Date() });
      slotIds.push(await insertTestSlot(schedule.id, { slotAt: at("2026-05-04T10:01:00Z") }));
    }
    const { started, rest } = await startSlotBatch(slotIds);
    expect(started).toEqual([]);
    expect(rest).toEqual(slotIds);
    expect(await runScheduleSlot(slotIds[0]!)).toEqual({ outcome: "skipped" });
    expect(await findSlotRow(slotIds[0]!)).toMatchObject({ status: "skipped", reason: expect.stringMatching(/^Skipped: the previous run .* \(overlap: skip\)$/) });
    await expect(runScheduleSlot(slotIds[1]!)).rejects.toThrow(/overlap: queue/);
    expect(await findSlotRow(slotIds[1]!)).toMatchObject({ status: "pending", runId: null });
  });

  it("keeps a run-now slot's reason while it runs, and leaves a slot whose input no longer fits to the one-slot path", async () => {
    const { name } = await makeSchedule({ cron: "0 0 1 1 *", enabled: false });
    const manual = await runScheduleNow(name, "ann@example.com", async () => undefined);
    const broken = await makeSchedule();
    await autocommit().schedule.update({ where: { id: broken.id }, data: { input: { message: 42 } } });
    const brokenSlot = await insertTestSlot(broken.id, { slotAt: at("2026-05-04T10:00:00Z") });

    const { started, rest } = await startSlotBatch([manual.id, brokenSlot]);
    expect(started.map((s) => s.slotId)).toEqual([manual.id]);
    expect(rest).toEqual([brokenSlot]);
    await Promise.all(started.map((s) => s.done));
    expect(await findSlotRow(manual.id)).toMatchObject({ status: "succeeded", reason: "Run now by ann@example.com" });
    expect(await runScheduleSlot(brokenSlot)).toEqual({ outcome: "ran" });
    expect(await findSlotRow(brokenSlot)).toMatchObject({ status: "failed", reason: expect.stringMatching(/^Could not start: /) });
  });

  it("after a crash in the middle of a batch, recovery runs each unfinished slot again once and closes the finished ones", async () => {
    await Promise.all(Array.from({ length: 12 }, () => makeSchedule({ nextRunAt: at("2026-05-04T13:00:00Z") })));
    const claimed = (await claimDueSlots(at("2026-05-04T13:00:30Z"))).map((c) => c.slotId);
    // What a process that died right after committing its batch leaves: slots running with their
    // runs, under an instance that no longer heartbeats. Some runs had finished, none of their slots closed.
    const deadInstance = `ins_dead${Math.random().toString(36).slice(2, 12)}`;
    const runs = await withTransaction(async (tx) => {
      await batch.lockPendingSlots(tx, claimed);
      const slots = await batch.readSlotsToStart(tx, claimed);
      const starts = slots.map((s) => ({ slotId: s.id, runId: newId("run"), scheduleId: s.scheduleId, scheduleName: s.scheduleName, pipeline: s.pipeline, input: s.input, timeoutMs: 30_000 }));
      return batch.startSlotRuns(tx, starts, new Date(), deadInstance);
    });
    expect(runs).toHaveLength(12);
    const finished = runs.slice(0, 4);
    await finishRuns(autocommit(), finished.map((r) => ({ id: r.id, outcome: { status: "succeeded", output: { message: "tick" } }, finishedAt: new Date(), durationMs: 1 })));

    // (Runs an earlier test left open under no instance are closed too.)
    const interrupted = await failInterruptedRuns();
    expect(interrupted).toEqual(expect.arrayContaining(runs.slice(4).map((r) => r.id)));
    expect(interrupted).not.toEqual(expect.arrayContaining([finished[0]!.id]));
    const again = (await findSlotsToRedispatch(0)).map((s) => s.slotId);
    expect(again.sort()).toEqual(runs.slice(4).map((r) => r.slotId).sort());
    enqueue(slotDue(claimed));
    await drain();

    expect(await runsPerSlot(finished.map((r) => r.slotId))).toEqual([1, 1, 1, 1]);
    expect(await runsPerSlot(runs.slice(4).map((r) => r.slotId))).toEqual(runs.slice(4).map(() => 2));
    const slots = await autocommit().scheduleSlot.findMany({ where: { id: { in: claimed } } });
    expect(slots.every((s) => s.status === "succeeded")).toBe(true);
    for (const r of runs.slice(4)) {
      const attempts = await autocommit().pipelineRun.findMany({ where: { workKey: `schedule:${r.slotId}` }, orderBy: { attempt: "asc" } });
      expect(attempts.map((a) => [a.attempt, a.status, a.idempotencyKey])).toEqual([
        [1, "failed", r.slotId],
        [2, "succeeded", `${r.slotId}:after:${r.id}`],
      ]);
      expect(slots.find((s) => s.id === r.slotId)).toMatchObject({ runId: attempts[1]!.id, attempts: 2 });
    }
  });
});

describe("claimAndStartSlotRound", () => {
  it("starts an idle schedule's on-time slot in the claim; leaves busy schedules, catch-up slots and what exceeds the room to dispatch", async () => {
    const idle = await Promise.all(Array.from({ length: 3 }, (_, i) => makeSchedule({ input: { message: `claimed ${i}` }, nextRunAt: at("2026-05-04T14:00:00Z") })));
    const busy = await makeSchedule({ nextRunAt: at("2026-05-04T14:00:00Z") });
    const earlier = await insertTestSlot(busy.id, { slotAt: at("2026-05-04T13:59:00Z"), status: "running", startedAt: at("2026-05-04T13:59:00Z") });
    const caughtUp = await makeSchedule({ cron: "0 * * * *", catchUp: "all", catchUpLimit: 3, lastSlotAt: at("2026-05-04T11:00:00Z"), nextRunAt: at("2026-05-04T12:00:00Z") });

    const round = await claimAndStartSlotRound("2026-05-04T14:00:30Z", 2);
    await Promise.all(round.started.map((s) => s.done));

    // Room for two: two of the idle schedules' slots started, the third is dispatched like the others.
    expect(round.started).toHaveLength(2);
    const idleSlots = (await Promise.all(idle.map((s) => slotsOf(s.id)))).map((slots) => slots[0]!);
    const startedIds = round.started.map((s) => s.slotId);
    expect(idleSlots.filter((s) => startedIds.includes(s.id))).toHaveLength(2);
    const [notStarted] = idleSlots.filter((s) => !startedIds.includes(s.id));
    const busySlot = (await slotsOf(busy.id)).find((s) => s.id !== earlier)!;
    const caughtUpSlots = await slotsOf(caughtUp.id);
    expect(caughtUpSlots.length).toBeGreaterThan(1);
    expect(round.slotIds.sort()).toEqual([notStarted!.id, busySlot.id, ...caughtUpSlots.map((s) => s.id)].sort());
    expect(busySlot.status).toBe("pending");
    expect(caughtUpSlots.every((s) => s.status === "pending")).toBe(true);

    for (const [i, schedule] of idle.entries()) {
      const [slot] = await slotsOf(schedule.id);
      if (!startedIds.includes(slot!.id)) continue;
      const runs = await runsOfSchedule(schedule.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: "succeeded", idempotencyKey: slot!.id, workKey: `schedule:${slot!.id}`, attempt: 1, output: { message: `claimed ${i}`, actor: schedule.name, trigger: "schedule" } });
      expect(slot).toMatchObject({ status: "succeeded", runId: runs[0]!.id, attempts: 1, reason: null });
      expect(await findScheduleRow(schedule.id)).toMatchObject({ lastRunId: runs[0]!.id, lastRunStatus: "succeeded" });
    }
    // Dispatched as usual, each slot still runs once: the started ones are done already.
    await Promise.all([...round.slotIds, ...startedIds].map((id) => runScheduleSlot(id).catch(() => undefined)));
    expect(await runsPerSlot(startedIds)).toEqual([1, 1]);
    expect(await runsPerSlot([notStarted!.id])).toEqual([1]);
  });

  it("writes a slot started in the claim once, running with its run, and its schedule's last run in the advance, unless a newer one is recorded", async () => {
    const fresh = await makeSchedule({ nextRunAt: at("2026-05-04T15:00:00Z") });
    const newer = await makeSchedule({ nextRunAt: at("2026-05-04T15:00:00Z") });
    await autocommit().schedule.update({ where: { id: newer.id }, data: { lastRunId: "run_newer", lastRunStatus: "succeeded", lastRunAt: at("2099-01-01T00:00:00Z") } });

    const round = await claimAndStartSlotRound("2026-05-04T15:00:30Z", 10);
    expect(round.started).toHaveLength(2);
    expect(round.slotIds).toEqual([]);
    await Promise.all(round.started.map((s) => s.done));

    for (const schedule of [fresh, newer]) {
      const [slot] = await slotsOf(schedule.id);
      const [run] = await runsOfSchedule(schedule.id);
      expect(slot).toMatchObject({ status: "succeeded", runId: run!.id, attempts: 1, reason: null, startedAt: run!.startedAt });
      expect(slot!.instanceId).toBe(currentInstanceId());
      expect(run).toMatchObject({ status: "succeeded", attempt: 1, idempotencyKey: slot!.id });
    }
    const [freshRun] = await runsOfSchedule(fresh.id);
    expect(await findScheduleRow(fresh.id)).toMatchObject({ nextRunAt: at("2026-05-04T15:01:00Z"), lastSlotAt: at("2026-05-04T15:00:00Z"), lastRunId: freshRun!.id, lastRunStatus: "succeeded" });
    expect(await findScheduleRow(newer.id)).toMatchObject({ nextRunAt: at("2026-05-04T15:01:00Z"), lastRunId: "run_newer", lastRunStatus: "succeeded", lastRunAt: at("2099-01-01T00:00:00Z") });
  });
});
