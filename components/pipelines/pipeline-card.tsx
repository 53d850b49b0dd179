import Link from "next/link";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { AreasList, SideEffectsBadge } from "@/components/pipelines/side-effects-badge";
import { formatLimit } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import type { PipelineDescription } from "@/lib/pipelines/catalog";
import type { PipelineRunStats } from "@/lib/overview/runs-overview";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium uppercase tracking-wide text-slate-400">{label}</dt>
      <dd className="mt-1 text-sm text-slate-700">{children}</dd>
    </div>
  );
}

export function PipelineCard({ pipeline, stats }: { pipeline: PipelineDescription; stats: PipelineRunStats }) {
  const last = stats.lastRun;
  return (
    <Link
      href={`/pipelines/${pipeline.name}`}
      data-testid="pipeline-card"
      data-pipeline={pipeline.name}
      className="group flex flex-col rounded-xl border border-slate-200 bg-white shadow-sm transition hover:border-brand-500/40 hover:shadow-md focus-visible:border-brand-500"
    >
      <div className="flex flex-1 flex-col px-5 pt-4 pb-4">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 className="text-base font-semibold text-slate-900 group-hover:text-brand-700">{pipeline.title}</h2>
            <p className="mt-0.5 truncate font-mono text-xs text-slate-500">{pipeline.name}</p>
          </div>
          <SideEffectsBadge sideEffects={pipeline.sideEffects} />
        </div>
        <p className="mt-3 line-clamp-3 text-sm leading-relaxed text-slate-600">{pipeline.description}</p>
      </div>
      <dl className="grid grid-cols-2 gap-4 border-t border-slate-100 bg-slate-50/60 px-5 py-3 sm:grid-cols-4">
        <Fact label="Areas"><AreasList areas={pipeline.areas} /></Fact>
        <Fact label="Timeout">{formatLimit(pipeline.timeoutMs)}</Fact>
        <Fact label="Runs (7 d)"><span className="tabular-nums">{stats.runs7d}</span></Fact>
        <Fact label="Last run">
          {last ? (
            <span className="flex flex-wrap items-center gap-1.5">
              <RunStatusBadge status={last.status} />
              <time className="text-xs text-slate-500" dateTime={last.queuedAt.toISOString()} title={formatDateTime(last.queuedAt)}>
                {formatRelative(last.queuedAt)}
              </time>
            </span>
          ) : (
            <span className="text-slate-400">never</span>
          )}
        </Fact>
      </dl>
    </Link>
  );
}
