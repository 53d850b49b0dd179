import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { createSchedule } from "@/lib/schedules/save-schedule";
import type { CreateScheduleInput } from "@/lib/schedules/schedule-input";
import type { SlotRow } from "@/lib/schedules/schedules.repository";

// Helpers for the schedule tests (not used by the app): schedules with their timing set as if
// time had passed, slots inserted in any state, and what the database holds afterwards.

let counter = 0;

export async function makeSchedule(
  overrides: Partial<CreateScheduleInput> & { nextRunAt?: Date | null; lastSlotAt?: Date | null } = {},
): Promise<{ id: string; name: string }> {
  const { nextRunAt, lastSlotAt, ...fields } = overrides;
  const created = await createSchedule(
    { name: `test-${++counter}-${Math.random().toString(36).slice(2, 8)}`, cron: "* * * * *", timezone: "UTC", pipeline: "system.echo", input: { message: "tick" }, ...fields },
    "test",
  );
  if (nextRunAt !== undefined || lastSlotAt !== undefined) {
    await autocommit().schedule.update({ where: { id: created.id }, data: { nextRunAt, lastSlotAt } });
  }
  return { id: created.id, name: created.name };
}

export async function insertTestSlot(
  scheduleId: string,
  fields: Partial<Omit<SlotRow, "id" | "scheduleId">> & { slotAt: Date },
): Promise<string> {
  const id = newId("slt");
  await autocommit().scheduleSlot.create({
    data: { id, scheduleId, kind: "regular", status: "pending", claimedAt: fields.slotAt, ...fields },
  });
  return id;
}

export const slotsOf = (scheduleId: string) =>
  autocommit().scheduleSlot.findMany({ where: { scheduleId }, orderBy: [{ slotAt: "asc" }, { id: "asc" }] });

export const findSlotRow = (id: string) => autocommit().scheduleSlot.findUniqueOrThrow({ where: { id } });

export const findScheduleRow = (id: string) => autocommit().schedule.findUniqueOrThrow({ where: { id } });

export const runsOfSchedule = (scheduleId: string) =>
  autocommit().pipelineRun.findMany({ where: { actorType: "schedule", actorId: scheduleId }, orderBy: { id: "asc" } });

/** The start of the minute `date` is in. */
export const minuteOf = (date: Date) => new Date(Math.floor(date.getTime() / 60_000) * 60_000);
