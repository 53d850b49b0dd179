import { AppError } from "@/lib/errors";
import { nextFireTimes, normalizeTimezone } from "@/lib/schedules/cron";
import { describeCron } from "@/lib/schedules/describe-cron";
import { toFireTime, type FireTimeDto } from "@/lib/schedules/schedule-dto";
import { parseScheduleBody, previewBody, timingIssues } from "@/lib/schedules/schedule-input";

// The form's live preview: the next fire times of a draft cron in its timezone, or what is wrong.

export type Preview = { cron: string; timezone: string; description: string | null; fireTimes: FireTimeDto[] };

export function previewSchedule(body: unknown, now = new Date()): Preview {
  const { cron, timezone, count } = parseScheduleBody(previewBody, body);
  const issues = timingIssues(cron, timezone);
  if (issues.length > 0) {
    throw new AppError("validation_failed", `The schedule is invalid (${issues[0]!.path}: ${issues[0]!.message})`, { issues });
  }
  const zone = normalizeTimezone(timezone)!;
  return {
    cron,
    timezone: zone,
    description: describeCron(cron),
    fireTimes: nextFireTimes(cron, zone, now, count).map((at) => toFireTime(at, zone)),
  };
}
