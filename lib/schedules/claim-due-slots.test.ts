import { beforeEach, describe, expect, it, vi } from "vitest";
import { databaseNow } from "@/lib/db/clock";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { claimDueSlots } from "@/lib/schedules/claim-due-slots";
import { lockSchedule } from "@/lib/schedules/schedules.repository";
import { setScheduleEnabled } from "@/lib/schedules/save-schedule";
import { findScheduleRow, makeSchedule, slotsOf } from "@/lib/schedules/test-kit";

const at = (iso: string) => new Date(iso);
const hourly = { cron: "0 * * * *", timezone: "UTC" };

/** An hourly schedule whose last slot was 06:00 UTC and whose app was then down until `now`. */
async function afterDowntime(catchUp: "skip" | "once" | "all", catchUpLimit = 10) {
  return makeSchedule({ ...hourly, catchUp, catchUpLimit, lastSlotAt: at("2026-05-04T06:00:00Z"), nextRunAt: at("2026-05-04T07:00:00Z") });
}

async function history(scheduleId: string) {
  return (await slotsOf(scheduleId)).map((s) => ({ at: s.slotAt.toISOString().slice(11, 16), kind: s.kind, status: s.status, reason: s.reason }));
}

// Each test starts with no schedules: a claim takes every due schedule in the database.
beforeEach(async () => {
  await autocommit().schedule.deleteMany();
});

describe("claimDueSlots", () => {
  it("claims the due slot once, stores the next run time, and claims nothing more at the same moment", async () => {
    const { id } = await makeSchedule({ cron: "*/5 * * * *", nextRunAt: at("2026-05-04T10:05:00Z") });
    const now = at("2026-05-04T10:05:02Z");
    const first = await claimDueSlots(now);
    const slots = await slotsOf(id);
    expect(slots).toHaveLength(1);
    expect(first).toEqual([{ slotId: slots[0]!.id }]);
    expect(slots[0]).toMatchObject({ slotAt: at("2026-05-04T10:05:00Z"), kind: "regular", status: "pending", reason: null, claimedAt: now });
    const schedule = await findScheduleRow(id);
    expect(schedule.nextRunAt).toEqual(at("2026-05-04T10:10:00Z"));
    expect(schedule.lastSlotAt).toEqual(at("2026-05-04T10:05:00Z"));

    expect(await claimDueSlots(now)).toEqual([]);
    expect(await slotsOf(id)).toHaveLength(1);
  });

  it("claims each slot exactly once when two instances tick at the same moment (50 schedules, 3 rounds)", async () => {
    const start = at("2026-05-05T08:00:00Z");
    const ids = await Promise.all(Array.from({ length: 50 }, () => makeSchedule({ nextRunAt: start }).then((s) => s.id)));
    for (let round = 0; round < 3; round++) {
      const now = new Date(start.getTime() + round * 60_000 + 1_000);
      const [a, b] = await Promise.all([claimDueSlots(now), claimDueSlots(now)]);
      const all = [...a, ...b].map((s) => s.slotId);
      expect(new Set(all).size).toBe(all.length); // no slot handed to both
      expect(all).toHaveLength(50);
    }
    const rows = await autocommit().scheduleSlot.findMany({ where: { scheduleId: { in: ids } } });
    expect(rows).toHaveLength(150);
    for (const id of ids) {
      expect((await slotsOf(id)).map((s) => s.slotAt.toISOString())).toEqual([
        "2026-05-05T08:00:00.000Z",
        "2026-05-05T08:01:00.000Z",
        "2026-05-05T08:02:00.000Z",
      ]);
    }
  });

  it("skips a schedule another instance holds locked, without waiting for it; it is claimed once released", async () => {
    const start = at("2026-05-06T08:00:00Z");
    const held = await makeSchedule({ nextRunAt: start });
    const free = await makeSchedule({ nextRunAt: start });
    let release!: () => void;
    let lockTaken!: () => void;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const holder = withTransaction(async (tx) => {
      await lockSchedule(tx, held.id);
      lockTaken();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await taken;
    const now = at("2026-05-06T08:00:05Z");
    const whileHeld = await claimDueSlots(now);
    expect(whileHeld).toHaveLength(1);
    expect((await slotsOf(free.id)).map((s) => s.id)).toEqual([whileHeld[0]!.slotId]);
    expect(await slotsOf(held.id)).toEqual([]);
    release();
    await holder;
    const afterwards = await claimDueSlots(now);
    expect((await slotsOf(held.id)).map((s) => s.id)).toEqual([afterwards[0]!.slotId]);
  });

  it("catch-up skip: records each missed slot as skipped and runs only the on-time one", async () => {
    const { id } = await afterDowntime("skip");
    const claimed = await claimDueSlots(at("2026-05-04T12:00:30Z"));
    const missed = { kind: "catch_up", status: "skipped", reason: "Missed while the app was down (catch-up: skip)" };
    expect(await history(id)).toEqual([
      { at: "07:00", ...missed },
      { at: "08:00", ...missed },
      { at: "09:00", ...missed },
      { at: "10:00", ...missed },
      { at: "11:00", ...missed },
      { at: "12:00", kind: "regular", status: "pending", reason: null },
    ]);
    expect(claimed).toHaveLength(1);
    expect((await findScheduleRow(id)).nextRunAt).toEqual(at("2026-05-04T13:00:00Z"));
  });

  it("catch-up once: the on-time run stands for the missed slots", async () => {
    const { id } = await afterDowntime("once");
    const claimed = await claimDueSlots(at("2026-05-04T12:00:30Z"));
    const covered = { kind: "catch_up", status: "skipped", reason: "Missed while the app was down; the on-time run covers it (catch-up: once)" };
    expect(await history(id)).toEqual([
      { at: "07:00", ...covered },
      { at: "08:00", ...covered },
      { at: "09:00", ...covered },
      { at: "10:00", ...covered },
      { at: "11:00", ...covered },
      { at: "12:00", kind: "regular", status: "pending", reason: null },
    ]);
    expect(claimed).toHaveLength(1);
  });

  it("catch-up once: with no slot on time, the latest missed slot runs late and the others are skipped", async () => {
    const { id } = await afterDowntime("once");
    const claimed = await claimDueSlots(at("2026-05-04T12:10:00Z"));
    const skipped = { kind: "catch_up", status: "skipped", reason: "Missed while the app was down; only the latest missed slot runs (catch-up: once)" };
    const slots = await history(id);
    expect(slots).toEqual([
      { at: "07:00", ...skipped },
      { at: "08:00", ...skipped },
      { at: "09:00", ...skipped },
      { at: "10:00", ...skipped },
      { at: "11:00", ...skipped },
      { at: "12:00", kind: "catch_up", status: "pending", reason: "Missed while the app was down; runs late (catch-up: once)" },
    ]);
    expect(claimed).toHaveLength(1);
    expect((await slotsOf(id))[5]!.id).toBe(claimed[0]!.slotId);
  });

  it("catch-up all: runs each missed slot up to the limit (the most recent), and skips the older ones", async () => {
    const { id } = await afterDowntime("all", 3);
    const claimed = await claimDueSlots(at("2026-05-04T12:10:00Z"));
    const over = { kind: "catch_up", status: "skipped", reason: "Missed while the app was down; over the catch-up limit of 3 (catch-up: all)" };
    const late = { kind: "catch_up", status: "pending", reason: "Missed while the app was down; runs late (catch-up: all)" };
    expect(await history(id)).toEqual([
      { at: "07:00", ...over },
      { at: "08:00", ...over },
      { at: "09:00", ...over },
      { at: "10:00", ...late },
      { at: "11:00", ...late },
      { at: "12:00", ...late },
    ]);
    expect(claimed).toHaveLength(3);
    expect((await findScheduleRow(id)).nextRunAt).toEqual(at("2026-05-04T13:00:00Z"));
  });

  it("catch-up all within the limit runs every missed slot and the on-time one", async () => {
    const { id } = await afterDowntime("all", 10);
    const claimed = await claimDueSlots(at("2026-05-04T09:00:05Z"));
    expect((await history(id)).map((s) => `${s.at} ${s.kind} ${s.status}`)).toEqual(["07:00 catch_up pending", "08:00 catch_up pending", "09:00 regular pending"]);
    expect(claimed).toHaveLength(3);
  });

  it("lists at most the 100 most recent slots of a long outage, and says that earlier ones are not listed", async () => {
    const { id } = await makeSchedule({ cron: "* * * * *", catchUp: "skip", lastSlotAt: at("2026-05-01T00:00:00Z"), nextRunAt: at("2026-05-01T00:01:00Z") });
    const claimed = await claimDueSlots(at("2026-05-02T00:00:40Z"));
    const slots = await slotsOf(id);
    expect(slots).toHaveLength(100);
    expect(slots[0]!.slotAt).toEqual(at("2026-05-01T22:21:00Z"));
    expect(slots[0]!.reason).toBe("Missed while the app was down (catch-up: skip). Earlier missed slots since 2026-05-01T00:01:00.000Z are not listed");
    expect(slots[99]).toMatchObject({ slotAt: at("2026-05-02T00:00:00Z"), kind: "regular", status: "pending" });
    expect(claimed).toEqual([{ slotId: slots[99]!.id }]);
    expect((await findScheduleRow(id)).nextRunAt).toEqual(at("2026-05-02T00:01:00Z"));
  });

  it("goes by the database's clock when no time is given, however far off this server's clock is", async () => {
    const dbNow = await databaseNow();
    const minute = (n: number) => new Date(Math.floor(dbNow.getTime() / 60_000) * 60_000 + n * 60_000);
    const later = await makeSchedule({ cron: "* * * * *", nextRunAt: minute(60) });
    const due = await makeSchedule({ cron: "* * * * *", nextRunAt: minute(0), lastSlotAt: minute(-1) });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // A day behind here: the slot of this minute is claimed all the same.
      vi.setSystemTime(Date.now() - 24 * 3_600_000);
      expect((await claimDueSlots()).length).toBeGreaterThan(0);
      expect((await slotsOf(due.id)).map((s) => s.slotAt)).toContainEqual(minute(0));
      // A day ahead: the one due in an hour is not claimed a day early.
      vi.setSystemTime(Date.now() + 48 * 3_600_000);
      expect(await claimDueSlots()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
    expect(await slotsOf(later.id)).toEqual([]);
    expect((await findScheduleRow(later.id)).nextRunAt).toEqual(minute(60));
  });

  it("does not claim disabled schedules, and a re-enabled one starts fresh instead of catching up", async () => {
    const { id } = await makeSchedule({ cron: "0 * * * *", catchUp: "all" });
    await setScheduleEnabled(id, false);
    expect((await findScheduleRow(id)).nextRunAt).toBeNull();
    expect(await claimDueSlots(new Date(Date.now() + 3 * 3_600_000))).toEqual([]);

    const enabledAt = new Date();
    await setScheduleEnabled(id, true, enabledAt);
    const nextRunAt = (await findScheduleRow(id)).nextRunAt!;
    expect(nextRunAt.getTime()).toBeGreaterThan(enabledAt.getTime());
    expect(nextRunAt.getTime() - enabledAt.getTime()).toBeLessThanOrEqual(3_600_000);
    expect(await claimDueSlots(enabledAt)).toEqual([]);
    expect(await slotsOf(id)).toEqual([]);
  });

  it("follows the schedule's timezone across a DST change: a 02:30 Amsterdam job fires at 03:00 CEST on 2026-03-29", async () => {
    const { id } = await makeSchedule({ cron: "30 2 * * *", timezone: "Europe/Amsterdam", nextRunAt: at("2026-03-29T01:00:00Z") });
    const claimed = await claimDueSlots(at("2026-03-29T01:00:01Z"));
    expect(claimed).toHaveLength(1);
    expect((await slotsOf(id)).map((s) => s.slotAt)).toEqual([at("2026-03-29T01:00:00Z")]);
    expect((await findScheduleRow(id)).nextRunAt).toEqual(at("2026-03-30T00:30:00Z"));
  });
});
