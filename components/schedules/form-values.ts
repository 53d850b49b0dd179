import type { CatchUpPolicyName, OverlapPolicyName } from "@/lib/schedules/policies";
import type { ScheduleDto } from "@/lib/schedules/schedule-dto";

// The schedule form's values (strings where the user types), and how a stored schedule fills it.

export type ScheduleFormValues = {
  name: string;
  description: string;
  cron: string;
  timezone: string;
  pipeline: string;
  input: string;
  enabled: boolean;
  catchUp: CatchUpPolicyName;
  catchUpLimit: string;
  overlap: OverlapPolicyName;
};

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export function valuesFromSchedule(schedule: ScheduleDto): ScheduleFormValues {
  return {
    name: schedule.name,
    description: schedule.description ?? "",
    cron: schedule.cron,
    timezone: schedule.timezone,
    pipeline: schedule.pipeline,
    input: pretty(schedule.input),
    enabled: schedule.enabled,
    catchUp: schedule.catchUp,
    catchUpLimit: String(schedule.catchUpLimit),
    overlap: schedule.overlap,
  };
}
