import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { JsonView } from "@/components/runs/json-view";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { describeCatchUp, OVERLAP_LABELS } from "@/components/schedules/policy-labels";
import { ScheduleActions } from "@/components/schedules/schedule-actions";
import { SlotHistory } from "@/components/schedules/slot-history";
import { isAppError } from "@/lib/errors";
import { formatInZone } from "@/lib/schedules/cron";
import { getScheduleDetail } from "@/lib/schedules/read-schedules";
import { requirePagePermission } from "@/lib/auth/page-session";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  try {
    return await getScheduleDetail(decodeURIComponent(id));
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { schedule } = await load((await params).id);
  return { title: schedule.name };
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 px-5 py-3 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}

export default async function SchedulePage({ params }: Props) {
  await requirePagePermission("activity.view");
  const { schedule, upcoming, history } = await load((await params).id);
  return (
    <>
      <div className="mb-2 text-sm"><Link href="/schedules" className="text-brand-600 hover:underline">Schedules</Link></div>
      <PageHeader
        title={schedule.name}
        description={schedule.description ?? `${schedule.cronDescription ?? schedule.cron} in ${schedule.timezone}, running ${schedule.pipeline}.`}
        actions={<ScheduleActions key={String(schedule.enabled)} id={schedule.id} name={schedule.name} enabled={schedule.enabled} />}
      />

      <div className="grid items-start gap-6 xl:grid-cols-3">
        <Card className="xl:col-span-2">
          <CardHeader title="Settings" action={schedule.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>} />
          <dl className="divide-y divide-slate-100">
            <Row label="Cron">
              <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{schedule.cron}</code>
              {schedule.cronDescription ? <span className="ml-2 text-slate-600">{schedule.cronDescription}</span> : null}
            </Row>
            <Row label="Timezone">{schedule.timezone}</Row>
            <Row label="Pipeline"><Link href={`/pipelines/${schedule.pipeline}`} className="font-mono text-xs text-brand-600 hover:underline">{schedule.pipeline}</Link></Row>
            <Row label="Missed slots">{describeCatchUp(schedule.catchUp, schedule.catchUpLimit)}</Row>
            <Row label="Overlap">{OVERLAP_LABELS[schedule.overlap].help}</Row>
            <Row label="Input"><JsonView value={schedule.input} label="Input" maxHeight="max-h-48" /></Row>
            <Row label="Created">{formatDateTime(schedule.createdAt)}</Row>
          </dl>
        </Card>

        <div className="space-y-6">
          <Card>
            <CardHeader title="Next fire times" description={schedule.enabled ? `In ${schedule.timezone}.` : "Disabled: the times it would have if enabled now."} />
            {upcoming.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-500">This expression never fires again.</p>
            ) : (
              <ol className={`divide-y divide-slate-100 px-5 py-1 ${schedule.enabled ? "" : "opacity-60"}`} data-testid="upcoming">
                {upcoming.map((f) => (
                  <li key={f.at} className="flex items-baseline justify-between gap-3 py-2 text-sm">
                    <span className="text-slate-800">{f.local}</span>
                    <time dateTime={f.at} title={`${f.at} (UTC${f.offset})`} className="shrink-0 text-xs text-slate-500" suppressHydrationWarning>{formatRelative(f.at)}</time>
                  </li>
                ))}
              </ol>
            )}
          </Card>
          <Card>
            <CardHeader title="Last run" />
            <div className="px-5 py-4 text-sm">
              {schedule.lastRun ? (
                <Link href={`/runs/${schedule.lastRun.id}`} className="flex items-center justify-between gap-3 hover:opacity-80">
                  <RunStatusBadge status={schedule.lastRun.status} />
                  <span className="text-slate-600">{formatInZone(new Date(schedule.lastRun.at), schedule.timezone)}</span>
                </Link>
              ) : (
                <p className="text-slate-500">It has not run yet.</p>
              )}
            </div>
          </Card>
        </div>
      </div>

      <Card className="mt-6">
        <CardHeader title="History" description="Every slot: on time, caught up after downtime, or run by hand, and what happened to it." />
        <SlotHistory scheduleId={schedule.id} initial={history} enabled={schedule.enabled} />
      </Card>
    </>
  );
}
