import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { drain, enqueue, startInProcessDriver, stopInProcessDriver, tick } from "@/inngest/in-process-driver";
import { autocommit } from "@/lib/db/transaction";
import { claimDueSlots } from "@/lib/schedules/claim-due-slots";
import { findScheduleRow, insertTestSlot, makeSchedule, minuteOf, runsOfSchedule, slotsOf } from "@/lib/schedules/test-kit";

// The embedded default end to end: the in-process driver calls the same tick and run handlers
// Inngest would, with no Inngest server anywhere.

afterAll(() => stopInProcessDriver());

// A tick claims every due schedule in the database: each test starts with none.
beforeEach(async () => {
  await autocommit().schedule.deleteMany();
});

/** Keeps a test's ticks inside one minute, so "the slot of this minute" means one slot. */
async function awayFromMinuteEdge(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}

describe("schedules on the in-process driver", () => {
  it("an every-minute schedule that is due produces a succeeded run, linked from its slot, and moves on", async () => {
    await awayFromMinuteEdge();
    const { id, name } = await makeSchedule({ cron: "* * * * *", input: { message: "every minute" }, nextRunAt: minuteOf(new Date()) });
    await tick();
    await drain();

    const runs = await runsOfSchedule(id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", trigger: "schedule", actorLabel: name, output: { message: "every minute" } });
    const slots = await slotsOf(id);
    expect(slots).toHaveLength(1);
    expect(slots[0]).toMatchObject({ kind: "regular", status: "succeeded", runId: runs[0]!.id });
    const schedule = await findScheduleRow(id);
    expect(schedule.nextRunAt!.getTime()).toBeGreaterThan(slots[0]!.slotAt.getTime());
    expect(schedule.nextRunAt!.getTime() - slots[0]!.slotAt.getTime()).toBeLessThanOrEqual(120_000);
    expect(schedule).toMatchObject({ lastRunId: runs[0]!.id, lastRunStatus: "succeeded" });

    // The next tick in the same minute finds nothing new.
    await tick();
    await drain();
    expect(await runsOfSchedule(id)).toHaveLength(1);
  });

  it("a crowd of schedules due at once: the tick's slots start in batches and each runs exactly once", async () => {
    await awayFromMinuteEdge();
    const due = minuteOf(new Date());
    const schedules = await Promise.all(Array.from({ length: 120 }, () => makeSchedule({ cron: "* * * * *", nextRunAt: due })));
    await tick();
    await drain();
    const slots = await autocommit().scheduleSlot.findMany({ where: { scheduleId: { in: schedules.map((s) => s.id) } } });
    expect(slots).toHaveLength(120);
    expect(slots.every((s) => s.status === "succeeded" && s.runId !== null && s.attempts === 1)).toBe(true);
    const runs = await autocommit().pipelineRun.findMany({ where: { workKey: { in: slots.map((s) => `schedule:${s.id}`) } } });
    expect(runs).toHaveLength(120);
    expect(new Set(runs.map((r) => r.workKey)).size).toBe(120);
    expect(runs.every((r) => r.status === "succeeded" && r.trigger === "schedule" && r.actorType === "schedule")).toBe(true);
  });

  it("after downtime with catch-up all, runs each missed slot up to the limit, oldest first, then the on-time one", async () => {
    const at = (iso: string) => new Date(iso);
    const { id } = await makeSchedule({ cron: "0 * * * *", catchUp: "all", catchUpLimit: 3, lastSlotAt: at("2026-05-04T06:00:00Z"), nextRunAt: at("2026-05-04T07:00:00Z") });
    const claimed = await claimDueSlots(at("2026-05-04T12:00:30Z"));
    enqueue(claimed.map((c) => ({ name: "schedule/slot.due" as const, data: { slotId: c.slotId } })));
    await drain();
    const slots = await slotsOf(id);
    expect(slots.map((s) => `${s.slotAt.toISOString().slice(11, 16)} ${s.kind} ${s.status}`)).toEqual([
      "07:00 catch_up skipped",
      "08:00 catch_up skipped",
      "09:00 catch_up succeeded",
      "10:00 catch_up succeeded",
      "11:00 catch_up succeeded",
      "12:00 regular succeeded",
    ]);
    const runs = await runsOfSchedule(id);
    expect(runs.map((r) => r.idempotencyKey)).toEqual(slots.slice(2).map((s) => s.id));
  });

  it("at start, re-dispatches a slot that was persisted but never run (the app stopped first)", async () => {
    const { id } = await makeSchedule({ cron: "0 0 1 1 *", input: { message: "left over" } });
    const lostAt = new Date(Date.now() - 10 * 60_000);
    const slotId = await insertTestSlot(id, { slotAt: lostAt, claimedAt: lostAt });

    await startInProcessDriver();
    await drain();
    await stopInProcessDriver();

    const [run] = await runsOfSchedule(id);
    expect(run).toMatchObject({ status: "succeeded", idempotencyKey: slotId, output: { message: "left over" } });
    expect((await slotsOf(id))[0]).toMatchObject({ id: slotId, status: "succeeded", runId: run!.id });
    expect(await autocommit().scheduleSlot.count({ where: { scheduleId: id } })).toBe(1);
  });
});
