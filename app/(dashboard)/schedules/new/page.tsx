import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/card";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import { allTimezones } from "@/lib/schedules/cron";
import { schedulablePipelines } from "@/lib/schedules/pipeline-options";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "New schedule" };
export const dynamic = "force-dynamic";

export default async function NewSchedulePage() {
  await requirePagePermission("settings.manage");
  const pipelines = schedulablePipelines();
  const first = pipelines.find((p) => p.name === "system.echo") ?? pipelines[0];
  return (
    <>
      <PageHeader
        title="New schedule"
        description="Runs a pipeline on a cron, in the timezone you choose."
        actions={<Link href="/schedules" className="text-sm font-medium text-brand-600 hover:underline">All schedules</Link>}
      />
      <ScheduleForm
        pipelines={pipelines}
        timezones={allTimezones()}
        initial={{
          name: "",
          description: "",
          cron: "0 9 * * 1-5",
          timezone: "UTC",
          pipeline: first?.name ?? "",
          input: JSON.stringify(first?.defaultInput ?? {}, null, 2),
          enabled: true,
          catchUp: "once",
          catchUpLimit: "10",
          overlap: "skip",
        }}
      />
    </>
  );
}
