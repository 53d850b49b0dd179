import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { ScheduleTable } from "@/components/schedules/schedule-table";
import { getConfig } from "@/lib/config";
import { listSchedules } from "@/lib/schedules/read-schedules";
import { requirePagePermission } from "@/lib/auth/page-session";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Schedules" };
export const dynamic = "force-dynamic";

export default async function SchedulesPage() {
  const user = await requirePagePermission("activity.view");
  const schedules = await listSchedules();
  const engine = getConfig().inngestMode === "in-process" ? "the app itself (no Inngest server configured)" : "Inngest";
  const enabled = schedules.filter((s) => s.enabled).length;
  return (
    <>
      <PageHeader
        title="Schedules"
        description="Pipelines on a cron, each in its own timezone. Stored in the database: add and change them here, through the API or the CLI."
        actions={can(user.role, "settings.manage") ? <Link href="/schedules/new" className={buttonClass()}>New schedule</Link> : null}
      />
      <Card>
        <CardHeader
          title={schedules.length ? `${schedules.length} schedule${schedules.length === 1 ? "" : "s"}, ${enabled} enabled` : "Schedules"}
          description={`Checked every minute by ${engine}. Each slot fires once, however many instances run.`}
        />
        {schedules.length === 0 ? (
          <EmptyState title="No schedules yet">
            <Link href="/schedules/new" className="font-medium text-brand-600 hover:underline">Create one</Link> to run a pipeline every morning, every hour, or every minute.
          </EmptyState>
        ) : (
          <ScheduleTable schedules={schedules} />
        )}
      </Card>
    </>
  );
}
