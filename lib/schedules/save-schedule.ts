import { Prisma } from "@/generated/prisma/client";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { nextFireTimes } from "@/lib/schedules/cron";
import { requireSchedule } from "@/lib/schedules/find-schedule";
import { toScheduleDto, type ScheduleDto } from "@/lib/schedules/schedule-dto";
import {
  checkDefinition,
  createScheduleBody,
  parseScheduleBody,
  updateScheduleBody,
  type ScheduleDefinition,
} from "@/lib/schedules/schedule-input";
import * as schedules from "@/lib/schedules/schedules.repository";

// Creating and changing schedules. The next run time is computed from now whenever the timing
// changes or a schedule is (re-)enabled: a schedule that was off for a week starts fresh rather
// than treating that week as missed slots (turning it off was deliberate; downtime is not).

function conflict(name: string): AppError {
  return new AppError("conflict", `A schedule named "${name}" already exists`, { issues: [{ path: "name", message: "is already taken" }] });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

function firstFireAfter(definition: Pick<ScheduleDefinition, "cron" | "timezone">, now: Date): Date | null {
  return nextFireTimes(definition.cron, definition.timezone, now, 1)[0] ?? null;
}

function definitionOf(row: schedules.ScheduleRow): ScheduleDefinition {
  return {
    name: row.name,
    description: row.description,
    cron: row.cron,
    timezone: row.timezone,
    pipeline: row.pipeline,
    input: (row.input ?? {}) as Record<string, unknown>,
    enabled: row.enabled,
    catchUp: row.catchUp,
    catchUpLimit: row.catchUpLimit,
    overlap: row.overlap,
  };
}

/** Creates a schedule from an API/form/CLI body; every problem comes back at once, by field. */
export async function createSchedule(body: unknown, createdBy: string | null, now = new Date()): Promise<ScheduleDto> {
  const parsed = parseScheduleBody(createScheduleBody, body);
  const definition = checkDefinition({ ...parsed, description: parsed.description ?? null });
  try {
    const row = await schedules.insertSchedule(autocommit(), {
      ...definition,
      input: definition.input as Prisma.InputJsonObject,
      nextRunAt: definition.enabled ? firstFireAfter(definition, now) : null,
      createdBy,
    });
    return toScheduleDto(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(definition.name);
    throw error;
  }
}

/** Changes some fields; the result is checked as a whole (new input against a new pipeline, say). */
export async function updateSchedule(idOrName: string, body: unknown, now = new Date()): Promise<ScheduleDto> {
  const current = await requireSchedule(autocommit(), idOrName);
  const patch = parseScheduleBody(updateScheduleBody, body, definitionOf(current));
  try {
    const row = await withTransaction(async (tx) => {
      await schedules.lockSchedule(tx, current.id);
      const locked = await schedules.findScheduleById(tx, current.id);
      if (!locked) throw new AppError("not_found", `The schedule "${current.name}" was deleted`);
      const before = definitionOf(locked);
      const after = checkDefinition({ ...before, ...patch, description: patch.description === undefined ? before.description : patch.description });
      const timingChanged = after.cron !== before.cron || after.timezone !== before.timezone;
      const nextRunAt = !after.enabled ? null : !before.enabled || timingChanged || !locked.nextRunAt ? firstFireAfter(after, now) : undefined;
      return schedules.updateSchedule(tx, locked.id, {
        ...after,
        input: after.input as Prisma.InputJsonObject,
        ...(nextRunAt === undefined ? {} : { nextRunAt }),
      });
    });
    return toScheduleDto(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(typeof patch.name === "string" ? patch.name : current.name);
    throw error;
  }
}

export function setScheduleEnabled(idOrName: string, enabled: boolean, now = new Date()): Promise<ScheduleDto> {
  return updateSchedule(idOrName, { enabled }, now);
}

/** Deletes a schedule and its slot history; the runs it made stay in the run record. */
export async function deleteSchedule(idOrName: string): Promise<{ id: string; name: string }> {
  const schedule = await requireSchedule(autocommit(), idOrName);
  await schedules.deleteSchedule(autocommit(), schedule.id);
  return { id: schedule.id, name: schedule.name };
}
