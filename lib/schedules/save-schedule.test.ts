import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { previewSchedule } from "@/lib/schedules/preview-schedule";
import { getScheduleDetail, listScheduleSlots, listSchedules } from "@/lib/schedules/read-schedules";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";
import { runScheduleSlot } from "@/lib/schedules/run-slot";
import { createSchedule, deleteSchedule, setScheduleEnabled, updateSchedule } from "@/lib/schedules/save-schedule";
import { findScheduleRow, insertTestSlot, slotsOf } from "@/lib/schedules/test-kit";

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const issuesOf = (error: AppError) => (error.details as { issues: { path: string; message: string }[] }).issues;

const base = { cron: "0 9 * * 1-5", timezone: "Europe/Amsterdam", pipeline: "system.echo", input: { message: "good morning" } };

describe("schedules: create and change", () => {
  it("creates a schedule with its next run time in its timezone, and defaults for the policies", async () => {
    const now = new Date("2026-05-04T06:00:00Z"); // Monday 08:00 CEST
    const created = await createSchedule({ name: "morning", ...base }, "usr_1", now);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^sch_/),
      name: "morning",
      cronDescription: "At 09:00 on weekdays",
      enabled: true,
      catchUp: "once",
      catchUpLimit: 10,
      overlap: "skip",
      nextRunAt: "2026-05-04T07:00:00.000Z",
      nextRun: { at: "2026-05-04T07:00:00.000Z", local: "Mon, 4 May 2026, 09:00 CEST", offset: "+02:00" },
      lastRun: null,
      createdBy: "usr_1",
    });
  });

  it("validates the input against the pipeline's schema when saved, with every problem on its field", async () => {
    const error = await rejection(createSchedule({ name: "", cron: "0 9 * *", timezone: "Mars/Base", pipeline: "system.echo", input: { message: 42 } }, null));
    expect(error.code).toBe("validation_failed");
    expect(issuesOf(error)).toEqual(
      expect.arrayContaining([
        { path: "name", message: "is required" },
        { path: "cron", message: expect.stringContaining("five fields") },
        { path: "timezone", message: '"Mars/Base" is not an IANA timezone (e.g. Europe/Amsterdam)' },
        { path: "input.message", message: expect.any(String) },
      ]),
    );
    const unknown = await rejection(createSchedule({ name: "x", ...base, pipeline: "no.such-pipeline" }, null));
    expect(issuesOf(unknown)).toEqual([{ path: "pipeline", message: 'there is no pipeline named "no.such-pipeline"' }]);
    const limit = await rejection(createSchedule({ name: "x", ...base, catchUp: "all", catchUpLimit: 0 }, null));
    expect(issuesOf(limit)).toEqual([{ path: "catchUpLimit", message: "must be at least 1" }]);
  });

  it("refuses a second schedule with the same name (409)", async () => {
    await createSchedule({ name: "unique-name", ...base }, null);
    const error = await rejection(createSchedule({ name: "unique-name", ...base }, null));
    expect(error.status).toBe(409);
    expect(error.message).toBe('A schedule named "unique-name" already exists');
  });

  it("recomputes the next run time when the cron or timezone changes, and checks the new input against a new pipeline", async () => {
    const { id } = await createSchedule({ name: "change-me", ...base }, null, new Date("2026-05-04T06:00:00Z"));
    const moved = await updateSchedule(id, { cron: "30 7 * * *", timezone: "America/New_York" }, new Date("2026-05-04T06:00:00Z"));
    expect(moved.nextRunAt).toBe("2026-05-04T11:30:00.000Z"); // 07:30 EDT
    const bad = await rejection(updateSchedule("change-me", { pipeline: "notes.capture" }));
    expect(bad.code).toBe("validation_failed");
    expect(issuesOf(bad)).toEqual([{ path: "input.title", message: expect.any(String) }]);
    const renamed = await updateSchedule("change-me", { name: "changed", description: "now described" });
    expect(renamed).toMatchObject({ name: "changed", description: "now described", nextRunAt: "2026-05-04T11:30:00.000Z" });
  });

  it("disabling clears the next run time; enabling sets it from now", async () => {
    const { id } = await createSchedule({ name: "toggle", ...base }, null);
    expect((await setScheduleEnabled("toggle", false)).nextRunAt).toBeNull();
    const enabled = await setScheduleEnabled(id, true, new Date("2026-05-08T10:00:00Z")); // Friday noon CEST
    expect(enabled.nextRunAt).toBe("2026-05-11T07:00:00.000Z"); // Monday 09:00 CEST
  });

  it("deletes a schedule with its history, and answers 404 for unknown ones", async () => {
    const { id } = await createSchedule({ name: "doomed", ...base }, null);
    await insertTestSlot(id, { slotAt: new Date() });
    expect(await deleteSchedule("doomed")).toEqual({ id, name: "doomed" });
    expect(await slotsOf(id)).toEqual([]);
    expect((await rejection(deleteSchedule("doomed"))).status).toBe(404);
  });
});

describe("schedules: reading, running now, previews", () => {
  it("runs a schedule now through the given dispatch, and shows the slot in its history with its run", async () => {
    const { id } = await createSchedule({ name: "manual", ...base, enabled: false }, null);
    const dispatched: string[] = [];
    const slot = await runScheduleNow("manual", "owner@example.com", async (slotId) => void dispatched.push(slotId));
    expect(dispatched).toEqual([slot.id]);
    expect(slot).toMatchObject({ kind: "manual", status: "pending", reason: "Run now by owner@example.com" });
    await runScheduleSlot(slot.id);
    const history = await listScheduleSlots(id);
    expect(history.slots[0]).toMatchObject({ id: slot.id, status: "succeeded", runId: expect.stringMatching(/^run_/) });
    expect((await findScheduleRow(id)).lastRunStatus).toBe("succeeded");
  });

  it("pages through the history newest first", async () => {
    const { id } = await createSchedule({ name: "paged", ...base }, null);
    for (let i = 0; i < 5; i++) await insertTestSlot(id, { slotAt: new Date(Date.UTC(2026, 4, 4, 10, i)), status: "skipped", reason: "test" });
    const first = await listScheduleSlots("paged", { limit: 2 });
    expect(first.slots.map((s) => s.slotAt.slice(11, 16))).toEqual(["10:04", "10:03"]);
    const second = await listScheduleSlots("paged", { limit: 2, cursor: first.nextCursor! });
    expect(second.slots.map((s) => s.slotAt.slice(11, 16))).toEqual(["10:02", "10:01"]);
    const third = await listScheduleSlots("paged", { limit: 2, cursor: second.nextCursor! });
    expect(third).toMatchObject({ nextCursor: null });
    expect(third.slots).toHaveLength(1);
  });

  it("lists schedules and gives the next five fire times of one", async () => {
    await createSchedule({ name: "listed", ...base, cron: "*/15 * * * *", timezone: "UTC" }, null);
    const listed = (await listSchedules()).find((s) => s.name === "listed");
    expect(listed).toMatchObject({ cronDescription: "Every 15 minutes", openSlots: { pending: 0, running: 0 } });
    const detail = await getScheduleDetail("listed");
    expect(detail.upcoming).toHaveLength(5);
    expect(detail.upcoming[0]!.at).toBe(listed!.nextRunAt);
    const gaps = detail.upcoming.slice(1).map((f, i) => new Date(f.at).getTime() - new Date(detail.upcoming[i]!.at).getTime());
    expect(gaps).toEqual([900_000, 900_000, 900_000, 900_000]);
  });

  it("previews a draft's next fire times in its timezone, or says what is wrong", () => {
    const preview = previewSchedule({ cron: "30 2 * * *", timezone: "Europe/Amsterdam" }, new Date("2026-03-28T12:00:00Z"));
    expect(preview.description).toBe("At 02:30 every day");
    expect(preview.fireTimes.map((f) => f.local)).toEqual([
      "Sun, 29 Mar 2026, 03:00 CEST",
      "Mon, 30 Mar 2026, 02:30 CEST",
      "Tue, 31 Mar 2026, 02:30 CEST",
      "Wed, 1 Apr 2026, 02:30 CEST",
      "Thu, 2 Apr 2026, 02:30 CEST",
    ]);
    const error = (() => {
      try {
        previewSchedule({ cron: "nope", timezone: "Nowhere/Land" });
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.code).toBe("validation_failed");
    expect(issuesOf(error!).map((i) => i.path)).toEqual(["cron", "timezone"]);
  });
});
