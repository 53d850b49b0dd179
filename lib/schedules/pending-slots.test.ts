import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { findSlotsToRedispatch, MAX_SLOT_ATTEMPTS } from "@/lib/schedules/pending-slots";
import { findScheduleRow, findSlotRow, insertTestSlot, makeSchedule } from "@/lib/schedules/test-kit";

const ago = (ms: number) => new Date(Date.now() - ms);

describe("findSlotsToRedispatch", () => {
  it("hands back pending slots claimed over a minute ago, not fresh ones or finished ones", async () => {
    const { id } = await makeSchedule();
    const stale = await insertTestSlot(id, { slotAt: ago(5 * 60_000), claimedAt: ago(5 * 60_000) });
    const fresh = await insertTestSlot(id, { slotAt: ago(10_000), claimedAt: ago(10_000) });
    const done = await insertTestSlot(id, { slotAt: ago(6 * 60_000), claimedAt: ago(6 * 60_000), status: "succeeded" });
    const ids = (await findSlotsToRedispatch()).map((s) => s.slotId);
    expect(ids).toContain(stale);
    expect(ids).not.toContain(fresh);
    expect(ids).not.toContain(done);
  });

  it("runs a slot again whose run was interrupted by a crash, keeping the interrupted run for the next attempt's key", async () => {
    const { id } = await makeSchedule();
    const runId = newId("run");
    const error = { code: "interrupted", message: "The app stopped while this run was in progress (crash or restart); it did not finish." };
    await autocommit().pipelineRun.create({
      data: { id: runId, pipeline: "system.echo", status: "failed", error, trigger: "schedule", input: {}, actorType: "schedule", actorId: id, actorLabel: "t", timeoutMs: 5000, startedAt: ago(120_000), finishedAt: ago(60_000) },
    });
    const slotId = await insertTestSlot(id, { slotAt: ago(130_000), claimedAt: ago(130_000), status: "running", runId, startedAt: ago(125_000) });
    const ids = (await findSlotsToRedispatch()).map((s) => s.slotId);
    expect(ids).toContain(slotId);
    expect(await findSlotRow(slotId)).toMatchObject({ status: "pending", runId, reason: "Running again: attempt 1 was interrupted (the app stopped while it ran)" });
  });

  it(`closes a slot as failed when its run was interrupted on the last of ${MAX_SLOT_ATTEMPTS} attempts, and records the run on the schedule`, async () => {
    const { id } = await makeSchedule();
    const runId = newId("run");
    const error = { code: "interrupted", message: "The app stopped while this run was in progress (crash or restart); it did not finish." };
    await autocommit().pipelineRun.create({
      data: { id: runId, pipeline: "system.echo", status: "failed", error, trigger: "schedule", input: {}, actorType: "schedule", actorId: id, actorLabel: "t", timeoutMs: 5000, startedAt: ago(120_000), finishedAt: ago(60_000), attempt: MAX_SLOT_ATTEMPTS },
    });
    const slotId = await insertTestSlot(id, { slotAt: ago(130_000), claimedAt: ago(130_000), status: "running", runId, startedAt: ago(125_000) });
    await findSlotsToRedispatch();
    expect(await findSlotRow(slotId)).toMatchObject({ status: "failed", reason: `The run failed: ${error.message}` });
    expect(await findScheduleRow(id)).toMatchObject({ lastRunId: runId, lastRunStatus: "failed" });
  });

  it("puts a slot that was marked running but never started its run back to pending, and dispatches it again", async () => {
    const { id } = await makeSchedule();
    const slotId = await insertTestSlot(id, { slotAt: ago(10 * 60_000), claimedAt: ago(10 * 60_000), status: "running", startedAt: ago(9 * 60_000) });
    const ids = (await findSlotsToRedispatch()).map((s) => s.slotId);
    expect(ids).toContain(slotId);
    expect(await findSlotRow(slotId)).toMatchObject({ status: "pending", startedAt: null });
  });

  it("leaves a running slot alone while its run is going", async () => {
    const { id } = await makeSchedule();
    const runId = newId("run");
    await autocommit().pipelineRun.create({
      data: { id: runId, pipeline: "system.echo", status: "running", trigger: "schedule", input: {}, actorType: "schedule", actorId: id, actorLabel: "t", timeoutMs: 5000, startedAt: ago(5 * 60_000) },
    });
    const slotId = await insertTestSlot(id, { slotAt: ago(6 * 60_000), claimedAt: ago(6 * 60_000), status: "running", runId, startedAt: ago(5 * 60_000) });
    await findSlotsToRedispatch();
    expect((await findSlotRow(slotId)).status).toBe("running");
  });
});
