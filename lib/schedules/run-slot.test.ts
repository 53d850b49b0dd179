import { describe, expect, it } from "vitest";
import { RetryLater } from "@/lib/background/retry-later";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { runScheduleSlot } from "@/lib/schedules/run-slot";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";
import { createSchedule, updateSchedule } from "@/lib/schedules/save-schedule";
import { findScheduleRow, findSlotRow, insertTestSlot, makeSchedule, runsOfSchedule } from "@/lib/schedules/test-kit";

const at = (iso: string) => new Date(iso);

async function insertRun(status: "running" | "failed", fields: Record<string, unknown> = {}): Promise<string> {
  const id = newId("run");
  await autocommit().pipelineRun.create({
    data: { id, pipeline: "system.echo", status, trigger: "schedule", input: {}, actorType: "schedule", actorLabel: "test", timeoutMs: 5000, startedAt: new Date(), ...fields },
  });
  return id;
}

describe("runScheduleSlot", () => {
  it("runs the pipeline and input the schedule had when the slot was claimed, not an edit made since", async () => {
    await createSchedule({ name: "claimed-version", cron: "0 9 * * *", timezone: "UTC", pipeline: "system.echo", input: { message: "as claimed" }, enabled: false }, "test");
    const slot = await runScheduleNow("claimed-version", "test", async () => undefined);
    await updateSchedule("claimed-version", { input: { message: "edited later" } });
    const result = await runScheduleSlot(slot.id);
    const run = await autocommit().pipelineRun.findUniqueOrThrow({ where: { id: result.runId! } });
    expect(run).toMatchObject({ status: "succeeded", input: { message: "as claimed" }, workKey: `schedule:${slot.id}`, attempt: 1 });
  });

  it("runs the pipeline with trigger schedule and the schedule as actor, and records the outcome", async () => {
    const { id, name } = await makeSchedule({ input: { message: "from a schedule" } });
    const slotId = await insertTestSlot(id, { slotAt: at("2026-05-04T10:00:00Z") });

    const result = await runScheduleSlot(slotId);
    expect(result).toEqual({ outcome: "ran", runId: expect.stringMatching(/^run_/) });
    const [run] = await runsOfSchedule(id);
    expect(run).toMatchObject({
      id: result.runId,
      pipeline: "system.echo",
      status: "succeeded",
      trigger: "schedule",
      actorType: "schedule",
      actorId: id,
      actorLabel: name,
      idempotencyKey: slotId,
      output: { message: "from a schedule", actor: name, trigger: "schedule" },
    });
    expect(await findSlotRow(slotId)).toMatchObject({ status: "succeeded", runId: run!.id, reason: null, attempts: 1, startedAt: expect.any(Date), finishedAt: expect.any(Date) });
    expect(await findScheduleRow(id)).toMatchObject({ lastRunId: run!.id, lastRunStatus: "succeeded", lastRunAt: run!.queuedAt });
  });

  it("runs a slot once when two deliveries arrive at the same moment, and once more is already done", async () => {
    const { id } = await makeSchedule();
    const slotId = await insertTestSlot(id, { slotAt: at("2026-05-04T10:01:00Z") });
    const results = await Promise.all([runScheduleSlot(slotId), runScheduleSlot(slotId), runScheduleSlot(slotId)]);
    expect(results.filter((r) => r.outcome === "ran")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "already-done")).toHaveLength(2);
    expect(await runsOfSchedule(id)).toHaveLength(1);
    expect(await runScheduleSlot(slotId)).toEqual({ outcome: "already-done", runId: (await runsOfSchedule(id))[0]!.id });
  });

  it("overlap skip: skips the slot while the previous run is still going, with the reason", async () => {
    const { id } = await makeSchedule({ overlap: "skip", timezone: "Europe/Amsterdam" });
    const previousRun = await insertRun("running");
    await insertTestSlot(id, { slotAt: at("2026-05-04T10:00:00Z"), status: "running", runId: previousRun, startedAt: new Date() });
    const slotId = await insertTestSlot(id, { slotAt: at("2026-05-04T10:01:00Z") });

    expect(await runScheduleSlot(slotId)).toEqual({ outcome: "skipped" });
    expect(await findSlotRow(slotId)).toMatchObject({
      status: "skipped",
      reason: `Skipped: the previous run (the slot at Mon, 4 May 2026, 12:00 CEST (${previousRun})) was still going (overlap: skip)`,
      runId: null,
    });
    expect(await runsOfSchedule(id)).toHaveLength(0);
  });

  it("overlap queue: waits (retry later) while the previous run is going, then runs", async () => {
    const { id } = await makeSchedule({ overlap: "queue" });
    const previousRun = await insertRun("running");
    const previous = await insertTestSlot(id, { slotAt: at("2026-05-04T10:00:00Z"), status: "running", runId: previousRun, startedAt: new Date() });
    const slotId = await insertTestSlot(id, { slotAt: at("2026-05-04T10:01:00Z") });

    const waiting = await runScheduleSlot(slotId).catch((error: unknown) => error);
    expect(waiting).toBeInstanceOf(RetryLater);
    expect((waiting as RetryLater).retryAfterMs).toBe(5_000);
    expect(await findSlotRow(slotId)).toMatchObject({ status: "pending", reason: expect.stringMatching(/^Waiting for the slot at .* to finish \(overlap: queue\)$/), attempts: 1 });

    await autocommit().scheduleSlot.update({ where: { id: previous }, data: { status: "succeeded", finishedAt: new Date() } });
    expect(await runScheduleSlot(slotId)).toMatchObject({ outcome: "ran" });
    expect(await findSlotRow(slotId)).toMatchObject({ status: "succeeded", reason: null, attempts: 2 });
  });

  it("runs slots claimed by the same tick one after another, oldest first, even with overlap skip", async () => {
    const { id } = await makeSchedule({ overlap: "skip" });
    const claimedAt = at("2026-05-04T12:10:00Z");
    const older = await insertTestSlot(id, { slotAt: at("2026-05-04T11:00:00Z"), kind: "catch_up", claimedAt });
    const newer = await insertTestSlot(id, { slotAt: at("2026-05-04T12:00:00Z"), kind: "catch_up", claimedAt });

    await expect(runScheduleSlot(newer)).rejects.toBeInstanceOf(RetryLater);
    expect((await findSlotRow(newer)).reason).toMatch(/^Waiting for the slot at .*: slots claimed together run one after another$/);
    // The older one's delivery runs it, then the newer one: nobody waits for a retry.
    expect(await runScheduleSlot(older)).toMatchObject({ outcome: "ran" });
    expect((await findSlotRow(older)).status).toBe("succeeded");
    expect((await findSlotRow(newer)).status).toBe("succeeded");
    expect(await runScheduleSlot(newer)).toMatchObject({ outcome: "already-done" });
    const runs = await runsOfSchedule(id);
    expect(runs.map((r) => r.idempotencyKey)).toEqual([older, newer]);
  });

  it("fails the slot with the reason when the stored input no longer fits the pipeline", async () => {
    const { id } = await makeSchedule();
    await autocommit().schedule.update({ where: { id }, data: { input: { message: 42 } } });
    const slotId = await insertTestSlot(id, { slotAt: at("2026-05-04T10:00:00Z") });
    expect(await runScheduleSlot(slotId)).toEqual({ outcome: "ran" });
    expect(await findSlotRow(slotId)).toMatchObject({ status: "failed", reason: expect.stringMatching(/^Could not start: Input for system\.echo is invalid \(message: /) });
    expect(await runsOfSchedule(id)).toHaveLength(0);
  });

  it("treats a slot whose schedule was deleted as done", async () => {
    const { id } = await makeSchedule();
    const slotId = await insertTestSlot(id, { slotAt: at("2026-05-04T10:00:00Z") });
    await autocommit().schedule.delete({ where: { id } });
    expect(await runScheduleSlot(slotId)).toEqual({ outcome: "already-done" });
  });
});
