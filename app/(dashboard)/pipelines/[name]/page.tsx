import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { RunForm } from "@/components/pipelines/run-form";
import { SchemaPanel } from "@/components/pipelines/schema-panel";
import { AreasList, SIDE_EFFECTS, SideEffectsBadge } from "@/components/pipelines/side-effects-badge";
import { formatLimit } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { RunTable } from "@/components/runs/run-table";
import { requirePagePermission } from "@/lib/auth/page-session";
import { can } from "@/lib/auth/permissions";
import { areasOfferingPipelines } from "@/lib/chat/areas";
import { getPipelineRunStats } from "@/lib/overview/runs-overview";
import { describePipeline, findPipeline } from "@/lib/pipelines/catalog";
import { listRuns, listRunsQuery } from "@/lib/pipelines/list-runs";
import { runPipelineAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: findPipeline(decodeURIComponent(name))?.title ?? "Pipeline not found" };
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-3 px-5 py-3 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}

export default async function PipelinePage({ params }: Props) {
  const user = await requirePagePermission("activity.view");
  const name = decodeURIComponent((await params).name);
  const found = findPipeline(name);
  if (!found) notFound();
  const pipeline = describePipeline(found);
  const [recent, stats, offering] = await Promise.all([
    listRuns(listRunsQuery.parse({ pipeline: pipeline.name, limit: 10 })),
    getPipelineRunStats([pipeline.name]),
    areasOfferingPipelines(),
  ]);
  const { runs7d, lastRun } = stats.get(pipeline.name) ?? { runs7d: 0, lastRun: null };
  const runsHref = `/runs?pipeline=${encodeURIComponent(pipeline.name)}`;

  return (
    <>
      <div className="-mt-2 mb-3 flex flex-wrap items-center justify-between gap-3 text-sm">
        <nav aria-label="Breadcrumb" className="text-slate-500">
          <Link href="/pipelines" className="hover:text-slate-800 hover:underline">Pipelines</Link>
          <span className="mx-1.5 text-slate-300">/</span>
          <span className="font-mono text-xs text-slate-700">{pipeline.name}</span>
        </nav>
        <Link href={runsHref} className="font-medium text-brand-600 hover:text-brand-700 hover:underline">All runs of this pipeline →</Link>
      </div>
      <PageHeader title={pipeline.title} description={pipeline.description} />

      <div className="grid items-start gap-6 xl:grid-cols-3">
        <Card className="xl:col-span-2">
          {can(user.role, "work.run") ? (
            <>
              <CardHeader title="Run it" description={`Runs as ${user.email}, recorded with the trigger “dashboard”.`} />
              <RunForm pipeline={pipeline.name} inputSchema={pipeline.inputSchema} action={runPipelineAction} />
            </>
          ) : (
            <CardHeader title="Run it" description={`Your role (${user.role}) can see this pipeline and its runs, but not start it.`} />
          )}
        </Card>

        <div className="space-y-6">
          <Card>
            <CardHeader title="About" />
            <dl className="divide-y divide-slate-100">
              <Row label="Name"><code className="font-mono text-xs">{pipeline.name}</code></Row>
              <Row label="Side effects">
                <SideEffectsBadge sideEffects={pipeline.sideEffects} />
                <p className="mt-1 text-xs text-slate-500">{SIDE_EFFECTS[pipeline.sideEffects].explanation}</p>
              </Row>
              <Row label="Areas"><AreasList areas={offering.get(pipeline.name) ?? []} /></Row>
              <Row label="Timeout">{formatLimit(pipeline.timeoutMs)}</Row>
              <Row label="Runs (7 d)"><span className="tabular-nums">{runs7d}</span></Row>
              <Row label="Last run">
                {lastRun ? (
                  <Link href={`/runs/${lastRun.id}`} className="inline-flex items-center gap-2 hover:underline">
                    <RunStatusBadge status={lastRun.status} />
                    <time className="text-xs text-slate-500" dateTime={lastRun.queuedAt.toISOString()} title={formatDateTime(lastRun.queuedAt)}>
                      {formatRelative(lastRun.queuedAt)}
                    </time>
                  </Link>
                ) : (
                  <span className="text-slate-400">never</span>
                )}
              </Row>
            </dl>
          </Card>
          <Card>
            <CardHeader title="Schemas" description="JSON Schema (draft 2020-12), generated from the pipeline's zod schemas." />
            <div className="divide-y divide-slate-100">
              <SchemaPanel title="Input schema" schema={pipeline.inputSchema} />
              <SchemaPanel title="Output schema" schema={pipeline.outputSchema} />
            </div>
          </Card>
        </div>
      </div>

      <Card className="mt-6">
        <CardHeader
          title="Recent runs"
          description="The last 10 runs of this pipeline, from any trigger."
          action={recent.runs.length ? <Link href={runsHref} className="text-sm font-medium text-brand-600 hover:underline">View all</Link> : undefined}
        />
        {recent.runs.length === 0 ? (
          <EmptyState title="No runs yet">Run it with the form above; the run shows up here.</EmptyState>
        ) : (
          <RunTable runs={recent.runs} showPipeline={false} />
        )}
      </Card>
    </>
  );
}
