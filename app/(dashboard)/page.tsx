import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader, EmptyState, PageHeader, StatCard } from "@/components/ui/card";
import { formatBytes, formatRelative } from "@/components/ui/format";
import { SignInOutcome } from "@/components/sign-in-reason";
import { RecentRuns } from "@/components/runs/recent-runs";
import { RunsPerDayChart } from "@/components/runs/runs-per-day-chart";
import { describeRetrySchedule } from "@/lib/events/retry-schedule";
import { getOverview } from "@/lib/overview/get-overview";
import { CHART_DAYS } from "@/lib/overview/runs-overview";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

function percent(rate: number): string {
  if (rate > 0 && rate < 0.01) return "<1%";
  return `${Math.round(rate * 100)}%`;
}

export default async function OverviewPage() {
  await requirePagePermission("activity.view");
  const overview = await getOverview();
  const { users, signIns, database, runs } = overview;
  const chartTotal = runs.perDay.reduce((sum, d) => sum + d.succeeded + d.failed + d.cancelled + d.running + d.queued, 0);
  return (
    <>
      <PageHeader title="Overview" description="What the platform is doing, from the database, as of this page load." />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="Accounts" value={users.total} hint={`${users.active} active · ${users.total - users.active} disabled`} />
        <StatCard label="Sign-ins (24 h)" value={signIns.succeeded24h} hint="successful" tone="good" />
        <StatCard
          label="Failed sign-ins (24 h)"
          value={signIns.failed24h}
          hint={signIns.failed24h > 0 ? "wrong passwords and rate-limited attempts" : "none"}
          tone={signIns.failed24h > 0 ? "warn" : "default"}
        />
        <StatCard
          label="Database"
          value={formatBytes(database.sizeBytes)}
          hint={`PostgreSQL ${database.version} · ${database.embedded ? "embedded" : "external"} · ${database.tables} tables`}
        />
      </div>

      {overview.agents.attention.length > 0 ? (
        <Card className="mt-4 border-amber-200">
          <CardHeader
            title="Agents that need attention"
            description="They have work waiting but stopped checking in, have no valid token, or their last round was refused."
          />
          <ul className="divide-y divide-slate-100">
            {overview.agents.attention.map((agent) => (
              <li key={agent.id} className="px-5 py-3 text-sm" data-agent-attention={agent.name}>
                <Link href={`/agents/${agent.id}`} className="font-mono font-medium text-brand-700 hover:underline">{agent.name}</Link>
                <span className="ml-2 text-xs uppercase tracking-wide text-rose-700">{agent.status}</span>
                <p className="text-slate-600">{agent.warning}</p>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <div className="mt-4 grid gap-4 sm:grid-cols-3">
        <StatCard
          label="Runs (24 h)"
          value={runs.last24h.total}
          hint={runs.last24h.total ? `${runs.last24h.succeeded} succeeded · ${runs.last24h.failed} failed · ${runs.last24h.cancelled} cancelled` : "no pipeline ran"}
        />
        <StatCard
          label="Failure rate (24 h)"
          value={runs.last24h.failureRate === null ? "—" : percent(runs.last24h.failureRate)}
          hint={runs.last24h.finished ? `${runs.last24h.failed} of ${runs.last24h.finished} finished runs failed` : "no finished runs"}
          tone={runs.last24h.failed > 0 ? "warn" : runs.last24h.finished ? "good" : "default"}
        />
        <StatCard
          label="Running now"
          value={runs.openNow}
          hint={runs.openNow ? <Link href="/runs?status=queued,running" className="text-brand-600 hover:underline">see open runs</Link> : "nothing in progress"}
        />
      </div>

      <div className="mt-4" data-testid="overview-events">
        <Card>
          <CardHeader
            title="Failed webhook events"
            description={`Failed events are retried on their own after ${describeRetrySchedule()}; then they are dead and wait for you.`}
          />
          {overview.events.waiting + overview.events.dead === 0 ? (
            <EmptyState title="No failed events">Every webhook event was processed or is on its way.</EmptyState>
          ) : (
            <div className="grid divide-y divide-slate-100 sm:grid-cols-2 sm:divide-x sm:divide-y-0">
              <Link href="/events?status=failed" className="block px-5 py-4 hover:bg-slate-50" data-testid="events-waiting">
                <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Waiting for a retry</p>
                <p className={`mt-2 text-2xl font-semibold tabular-nums ${overview.events.waiting ? "text-amber-600" : "text-slate-900"}`}>{overview.events.waiting}</p>
                <p className="mt-1 text-xs text-slate-500" suppressHydrationWarning>
                  {overview.events.nextAttemptAt ? `next retry ${formatRelative(overview.events.nextAttemptAt)}` : "none waiting"}
                </p>
              </Link>
              <Link href="/events?status=dead" className="block px-5 py-4 hover:bg-slate-50" data-testid="events-dead">
                <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Dead</p>
                <p className={`mt-2 text-2xl font-semibold tabular-nums ${overview.events.dead ? "text-rose-700" : "text-slate-900"}`}>{overview.events.dead}</p>
                <p className="mt-1 text-xs text-slate-500">{overview.events.dead ? "not retried on their own: fix the cause, then retry" : "none"}</p>
              </Link>
            </div>
          )}
        </Card>
      </div>

      <div className="mt-6 grid items-start gap-6 xl:grid-cols-3">
        <Card className="xl:col-span-2">
          <CardHeader title="Runs per day" description={`The last ${CHART_DAYS} days by status, UTC days.`} />
          {chartTotal === 0 ? (
            <EmptyState title={`No runs in the last ${CHART_DAYS} days`}>
              <Link href="/pipelines" className="font-medium text-brand-600 hover:underline">Run a pipeline</Link> to see activity here.
            </EmptyState>
          ) : (
            <RunsPerDayChart data={runs.perDay} />
          )}
        </Card>
        <Card>
          <CardHeader
            title="Recent runs"
            action={runs.recent.length ? <Link href="/runs" className="text-sm font-medium text-brand-600 hover:underline">View all</Link> : undefined}
          />
          {runs.recent.length === 0 ? (
            <EmptyState title="No runs yet">
              <Link href="/pipelines" className="font-medium text-brand-600 hover:underline">Open the pipelines</Link> to run one.
            </EmptyState>
          ) : (
            <RecentRuns runs={runs.recent} />
          )}
        </Card>
      </div>

      <Card className="mt-6">
        <CardHeader title="Recent sign-in activity" description="Every attempt is recorded, successful or not." />
        {overview.recentSignIns.length === 0 ? (
          <EmptyState title="No sign-ins yet" />
        ) : (
          <ul className="divide-y divide-slate-100">
            {overview.recentSignIns.map((a) => (
              <li key={a.id} className="flex items-center justify-between gap-4 px-5 py-3 text-sm">
                <div className="min-w-0">
                  <p className="truncate font-medium text-slate-800">{a.email}</p>
                  <p className="text-xs text-slate-500">via {a.method}</p>
                </div>
                <div className="flex shrink-0 items-center gap-3">
                  <SignInOutcome success={a.success} reason={a.reason} />
                  <time className="w-24 text-right text-xs text-slate-500" dateTime={a.createdAt.toISOString()}>
                    {formatRelative(a.createdAt)}
                  </time>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
