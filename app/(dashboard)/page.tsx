import type { Metadata } from "next";
import { Card, CardHeader, EmptyState, PageHeader, StatCard } from "@/components/ui/card";
import { formatBytes, formatRelative } from "@/components/ui/format";
import { SignInOutcome } from "@/components/sign-in-reason";
import { getOverview } from "@/lib/overview/get-overview";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const overview = await getOverview();
  const { users, signIns, database } = overview;
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
