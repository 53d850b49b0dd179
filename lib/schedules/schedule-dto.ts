import { z } from "zod";
import { RUN_STATUSES } from "@/lib/pipelines/run-dto";
import { formatInZone, formatOffset } from "@/lib/schedules/cron";
import { describeCron } from "@/lib/schedules/describe-cron";
import { CATCH_UP_POLICIES, OVERLAP_POLICIES } from "@/lib/schedules/policies";
import type { ScheduleRow, SlotRow } from "@/lib/schedules/schedules.repository";

// Schedules and slots as the API, the dashboard and the CLI show them.

export const SLOT_STATUSES = ["pending", "running", "succeeded", "failed", "skipped"] as const;
export const SLOT_KINDS = ["regular", "catch_up", "manual"] as const;

export const fireTimeSchema = z
  .object({
    at: z.iso.datetime().describe("The instant, UTC"),
    local: z.string().describe("The schedule's wall clock at that instant, e.g. Sun, 29 Mar 2026, 03:00 CEST"),
    offset: z.string().describe("The timezone's UTC offset at that instant, e.g. +02:00"),
  })
  .meta({ id: "FireTime" });

export type FireTimeDto = z.infer<typeof fireTimeSchema>;

export const scheduleDtoSchema = z
  .object({
    id: z.string().describe("sch_…"),
    name: z.string(),
    description: z.string().nullable(),
    cron: z.string(),
    cronDescription: z.string().nullable().describe("The cron in words, for common patterns"),
    timezone: z.string(),
    pipeline: z.string(),
    input: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    catchUp: z.enum(CATCH_UP_POLICIES),
    catchUpLimit: z.number().int(),
    overlap: z.enum(OVERLAP_POLICIES),
    nextRunAt: z.iso.datetime().nullable().describe("The next slot; null while disabled"),
    nextRun: fireTimeSchema.nullable(),
    lastSlotAt: z.iso.datetime().nullable(),
    lastRun: z.object({ id: z.string(), status: z.enum(RUN_STATUSES), at: z.iso.datetime() }).nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Schedule" });

export type ScheduleDto = z.infer<typeof scheduleDtoSchema>;

export const slotDtoSchema = z
  .object({
    id: z.string().describe("slt_…"),
    scheduleId: z.string(),
    slotAt: z.iso.datetime().describe("The fire time this slot stands for (for run-now slots, when it was asked for)"),
    local: z.string().describe("slotAt on the schedule's wall clock"),
    kind: z.enum(SLOT_KINDS),
    status: z.enum(SLOT_STATUSES),
    reason: z.string().nullable().describe("Why it was skipped, is waiting, or failed to start"),
    runId: z.string().nullable(),
    attempts: z.number().int(),
    claimedAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: "ScheduleSlot" });

export type SlotDto = z.infer<typeof slotDtoSchema>;

export function toFireTime(at: Date, timezone: string): FireTimeDto {
  return { at: at.toISOString(), local: formatInZone(at, timezone), offset: formatOffset(at, timezone) };
}

export function toScheduleDto(row: ScheduleRow): ScheduleDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    cron: row.cron,
    cronDescription: describeCron(row.cron),
    timezone: row.timezone,
    pipeline: row.pipeline,
    input: (row.input ?? {}) as Record<string, unknown>,
    enabled: row.enabled,
    catchUp: row.catchUp,
    catchUpLimit: row.catchUpLimit,
    overlap: row.overlap,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    nextRun: row.nextRunAt ? toFireTime(row.nextRunAt, row.timezone) : null,
    lastSlotAt: row.lastSlotAt?.toISOString() ?? null,
    lastRun:
      row.lastRunId && row.lastRunStatus && row.lastRunAt
        ? { id: row.lastRunId, status: row.lastRunStatus, at: row.lastRunAt.toISOString() }
        : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toSlotDto(row: SlotRow, timezone: string): SlotDto {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    slotAt: row.slotAt.toISOString(),
    local: formatInZone(row.slotAt, timezone),
    kind: row.kind,
    status: row.status,
    reason: row.reason,
    runId: row.runId,
    attempts: row.attempts,
    claimedAt: row.claimedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}
