import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { nextFireTimes } from "@/lib/schedules/cron";
import { requireSchedule } from "@/lib/schedules/find-schedule";
import { toFireTime, toScheduleDto, toSlotDto, type FireTimeDto, type ScheduleDto, type SlotDto } from "@/lib/schedules/schedule-dto";
import * as schedules from "@/lib/schedules/schedules.repository";

// Reading schedules and their history, for the API, the dashboard and the CLI alike.

export const UPCOMING_COUNT = 5;

export type ScheduleListItem = ScheduleDto & { openSlots: { pending: number; running: number } };

export async function listSchedules(): Promise<ScheduleListItem[]> {
  const db = autocommit();
  const rows = await schedules.listSchedules(db);
  const open = await schedules.countOpenSlots(db, rows.map((r) => r.id));
  return rows.map((row) => ({ ...toScheduleDto(row), openSlots: open.get(row.id) ?? { pending: 0, running: 0 } }));
}

/**
 * The next fire times: from the stored next run while enabled (so the list matches what will
 * happen), or, while disabled, the times it would have if enabled now.
 */
export function upcomingFireTimes(schedule: Pick<ScheduleDto, "cron" | "timezone" | "nextRunAt" | "enabled">, count = UPCOMING_COUNT, now = new Date()): FireTimeDto[] {
  const after = schedule.enabled && schedule.nextRunAt ? new Date(new Date(schedule.nextRunAt).getTime() - 1) : now;
  return nextFireTimes(schedule.cron, schedule.timezone, after, count).map((at) => toFireTime(at, schedule.timezone));
}

export const listSlotsQuery = z.object({
  cursor: z.string().regex(/^slt_[0-9a-z]{26}$/, "must be a slot id from nextCursor").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type SlotPage = { slots: SlotDto[]; nextCursor: string | null };

/** A schedule's slots, newest first, including skipped ones with their reasons. */
export async function listScheduleSlots(idOrName: string, query: z.input<typeof listSlotsQuery> = {}): Promise<SlotPage> {
  const { cursor, limit } = listSlotsQuery.parse(query);
  const db = autocommit();
  const schedule = await requireSchedule(db, idOrName);
  let before: schedules.SlotRow | undefined;
  if (cursor) {
    const found = await schedules.findSlot(db, cursor);
    if (!found || found.scheduleId !== schedule.id) throw new AppError("bad_request", "The cursor does not belong to this schedule's history");
    before = found;
  }
  const rows = await schedules.listSlots(db, schedule.id, limit + 1, before);
  const page = rows.slice(0, limit);
  return {
    slots: page.map((row) => toSlotDto(row, schedule.timezone)),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

export type ScheduleDetail = { schedule: ScheduleDto; upcoming: FireTimeDto[]; history: SlotPage };

export async function getScheduleDetail(idOrName: string, historyLimit = 50): Promise<ScheduleDetail> {
  const schedule = toScheduleDto(await requireSchedule(autocommit(), idOrName));
  return {
    schedule,
    upcoming: upcomingFireTimes(schedule),
    history: await listScheduleSlots(schedule.id, { limit: historyLimit }),
  };
}
