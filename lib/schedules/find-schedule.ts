import type { Tx } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import * as schedules from "@/lib/schedules/schedules.repository";

// Schedules are addressed by id (sch_…) or by their unique name, in URLs and on the command line.

const ID_PATTERN = /^sch_[0-9a-z]{26}$/;

export async function findSchedule(tx: Tx, idOrName: string): Promise<schedules.ScheduleRow | null> {
  const key = idOrName.trim();
  if (ID_PATTERN.test(key)) return schedules.findScheduleById(tx, key);
  return schedules.findScheduleByName(tx, key);
}

export async function requireSchedule(tx: Tx, idOrName: string): Promise<schedules.ScheduleRow> {
  const schedule = await findSchedule(tx, idOrName);
  if (!schedule) throw new AppError("not_found", `No schedule named or with the id "${idOrName.trim()}"`);
  return schedule;
}
