import { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { requireSchedule } from "@/lib/schedules/find-schedule";
import { toSlotDto, type SlotDto } from "@/lib/schedules/schedule-dto";
import * as schedules from "@/lib/schedules/schedules.repository";

// "Run now": a manual slot at this moment, persisted first, then handed to the caller's dispatch
// (the background driver from the app, a direct run from the CLI). Disabled schedules can be run
// by hand too; the overlap policy applies as for any slot.

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function runScheduleNow(idOrName: string, requestedBy: string, dispatch: (slotId: string) => Promise<unknown>): Promise<SlotDto> {
  const schedule = await requireSchedule(autocommit(), idOrName);
  let slot: schedules.SlotRow | undefined;
  // Two clicks in the same millisecond would be the same slot time; the second moves on by 1 ms.
  for (let attempt = 0; !slot; attempt++) {
    const now = new Date(Date.now() + attempt);
    try {
      slot = await schedules.insertSlot(autocommit(), {
        scheduleId: schedule.id,
        slotAt: now,
        kind: "manual",
        status: "pending",
        reason: `Run now by ${requestedBy}`,
        claimedAt: now,
        pipeline: schedule.pipeline,
        input: schedule.input as Prisma.InputJsonValue,
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
  await dispatch(slot.id);
  return toSlotDto((await schedules.findSlot(autocommit(), slot.id)) ?? slot, schedule.timezone);
}
