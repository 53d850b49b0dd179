import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";

// Data access for schedules and the history of their slots. Every function takes the
// transaction it runs in and never commits on its own. The slot claiming and running queries
// live in slots.repository.ts.

export const scheduleSelect = {
  id: true,
  name: true,
  description: true,
  cron: true,
  timezone: true,
  pipeline: true,
  input: true,
  enabled: true,
  catchUp: true,
  catchUpLimit: true,
  overlap: true,
  nextRunAt: true,
  lastSlotAt: true,
  lastRunId: true,
  lastRunStatus: true,
  lastRunAt: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ScheduleSelect;

export type ScheduleRow = Prisma.ScheduleGetPayload<{ select: typeof scheduleSelect }>;

export const slotSelect = {
  id: true,
  scheduleId: true,
  slotAt: true,
  kind: true,
  status: true,
  reason: true,
  runId: true,
  attempts: true,
  claimedAt: true,
  startedAt: true,
  finishedAt: true,
} satisfies Prisma.ScheduleSlotSelect;

export type SlotRow = Prisma.ScheduleSlotGetPayload<{ select: typeof slotSelect }>;

export type NewSchedule = Omit<Prisma.ScheduleUncheckedCreateInput, "id" | "createdAt" | "updatedAt" | "slots">;

export function insertSchedule(tx: Tx, data: NewSchedule): Promise<ScheduleRow> {
  return tx.schedule.create({ data: { id: newId("sch"), ...data }, select: scheduleSelect });
}

export function updateSchedule(tx: Tx, id: string, data: Prisma.ScheduleUncheckedUpdateInput): Promise<ScheduleRow> {
  return tx.schedule.update({ where: { id }, data, select: scheduleSelect });
}

export async function deleteSchedule(tx: Tx, id: string): Promise<boolean> {
  const { count } = await tx.schedule.deleteMany({ where: { id } });
  return count === 1;
}

export function findScheduleById(tx: Tx, id: string): Promise<ScheduleRow | null> {
  return tx.schedule.findUnique({ where: { id }, select: scheduleSelect });
}

export function findScheduleByName(tx: Tx, name: string): Promise<ScheduleRow | null> {
  return tx.schedule.findUnique({ where: { name }, select: scheduleSelect });
}

/** Locks the schedule's row until the transaction ends, so edits and claims do not interleave. */
export async function lockSchedule(tx: Tx, id: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM schedules WHERE id = ${id} FOR UPDATE`;
}

export function listSchedules(tx: Tx): Promise<ScheduleRow[]> {
  return tx.schedule.findMany({ select: scheduleSelect, orderBy: { name: "asc" } });
}

export function insertSlot(
  tx: Tx,
  data: {
    scheduleId: string; slotAt: Date; kind: SlotRow["kind"]; status: SlotRow["status"]; reason: string | null; claimedAt: Date;
    /** The schedule's pipeline and input now: what a retry of this slot runs, whatever is edited later. */
    pipeline: string; input: Prisma.InputJsonValue;
  },
): Promise<SlotRow> {
  return tx.scheduleSlot.create({ data: { id: newId("slt"), ...data }, select: slotSelect });
}

export function findSlot(tx: Tx, id: string): Promise<SlotRow | null> {
  return tx.scheduleSlot.findUnique({ where: { id }, select: slotSelect });
}

/** Newest first (by slot time, then id); `before` is the last slot of the previous page. */
export function listSlots(tx: Tx, scheduleId: string, limit: number, before?: Pick<SlotRow, "id" | "slotAt">): Promise<SlotRow[]> {
  return tx.scheduleSlot.findMany({
    where: before
      ? { scheduleId, OR: [{ slotAt: { lt: before.slotAt } }, { slotAt: before.slotAt, id: { lt: before.id } }] }
      : { scheduleId },
    orderBy: [{ slotAt: "desc" }, { id: "desc" }],
    take: limit,
    select: slotSelect,
  });
}

/** Slots not finished yet, per schedule: pending and running counts. */
export async function countOpenSlots(tx: Tx, scheduleIds: string[]): Promise<Map<string, { pending: number; running: number }>> {
  const rows = await tx.scheduleSlot.groupBy({
    by: ["scheduleId", "status"],
    where: { scheduleId: { in: scheduleIds }, status: { in: ["pending", "running"] } },
    _count: { _all: true },
  });
  const out = new Map<string, { pending: number; running: number }>();
  for (const row of rows) {
    const entry = out.get(row.scheduleId) ?? { pending: 0, running: 0 };
    if (row.status === "pending") entry.pending = row._count._all;
    else entry.running = row._count._all;
    out.set(row.scheduleId, entry);
  }
  return out;
}
