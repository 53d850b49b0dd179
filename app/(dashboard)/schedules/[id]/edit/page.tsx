import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/card";
import { valuesFromSchedule } from "@/components/schedules/form-values";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import { autocommit } from "@/lib/db/transaction";
import { allTimezones } from "@/lib/schedules/cron";
import { findSchedule } from "@/lib/schedules/find-schedule";
import { schedulablePipelines } from "@/lib/schedules/pipeline-options";
import { toScheduleDto } from "@/lib/schedules/schedule-dto";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Edit schedule" };
export const dynamic = "force-dynamic";

export default async function EditSchedulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission("settings.manage");
  const row = await findSchedule(autocommit(), decodeURIComponent((await params).id));
  if (!row) notFound();
  const schedule = toScheduleDto(row);
  return (
    <>
      <PageHeader
        title={`Edit ${schedule.name}`}
        description="Changing the cron or timezone starts the schedule afresh from now."
        actions={<Link href={`/schedules/${schedule.id}`} className="text-sm font-medium text-brand-600 hover:underline">Back to the schedule</Link>}
      />
      <ScheduleForm scheduleId={schedule.id} pipelines={schedulablePipelines()} timezones={allTimezones()} initial={valuesFromSchedule(schedule)} />
    </>
  );
}
