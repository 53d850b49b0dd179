import { createHash } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { scheduleRunFunction } from "@/inngest/functions/schedule-run";
import { newId } from "@/lib/ids";
import { autocommit } from "@/lib/db/transaction";
import { findSlotRow, insertTestSlot, makeSchedule, runsOfSchedule } from "@/lib/schedules/test-kit";

// The run function as Inngest runs it: one step that runs the slot's pipeline, idempotently.

const stepKey = (id: string) => createHash("sha1").update(id).digest("hex");

function execute(slotId: string) {
  return new InngestTestEngine({ function: scheduleRunFunction }).execute({ events: [{ name: "schedule/slot.due", data: { slotId } }] });
}

describe("schedule-run (Inngest function)", () => {
  it("runs the slot's pipeline in its run-slot step; a second delivery runs nothing again", async () => {
    const { id } = await makeSchedule({ input: { message: "via inngest" } });
    const slotId = await insertTestSlot(id, { slotAt: new Date("2026-05-04T10:00:00Z") });

    const { result, ctx, state } = await execute(slotId);
    const [run] = await runsOfSchedule(id);
    expect(result).toEqual({ outcome: "ran", runId: run!.id });
    expect(ctx.step.run).toHaveBeenCalledWith("run-slot", expect.any(Function));
    await expect(state[stepKey("run-slot")]).resolves.toEqual({ outcome: "ran", runId: run!.id });
    expect(run).toMatchObject({ status: "succeeded", trigger: "schedule", output: { message: "via inngest" } });
    expect(await findSlotRow(slotId)).toMatchObject({ status: "succeeded", runId: run!.id });

    expect((await execute(slotId)).result).toEqual({ outcome: "already-done", runId: run!.id });
    expect(await runsOfSchedule(id)).toHaveLength(1);
  });

  it("fails with a retry-after error while a queued slot waits for the previous run, leaving it pending", async () => {
    const { id } = await makeSchedule({ overlap: "queue" });
    const runId = newId("run");
    await autocommit().pipelineRun.create({
      data: { id: runId, pipeline: "system.echo", status: "running", trigger: "schedule", input: {}, actorType: "schedule", actorId: id, actorLabel: "t", timeoutMs: 5000, startedAt: new Date() },
    });
    await insertTestSlot(id, { slotAt: new Date("2026-05-04T10:00:00Z"), status: "running", runId, startedAt: new Date() });
    const slotId = await insertTestSlot(id, { slotAt: new Date("2026-05-04T10:01:00Z") });

    const { error } = await execute(slotId);
    expect(error).toMatchObject({ message: expect.stringMatching(/^Waiting for the slot at .* to finish \(overlap: queue\)$/) });
    expect((await findSlotRow(slotId)).status).toBe("pending");
    expect((await runsOfSchedule(id)).map((r) => r.id)).toEqual([runId]);
  });
});
