import Link from "next/link";
import { formatDateTime, formatDuration, formatRelative } from "@/components/ui/format";
import { actorLabel } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import type { RunDto } from "@/lib/pipelines/run-dto";

// A compact list of runs for the overview.
export function RecentRuns({ runs }: { runs: RunDto[] }) {
  return (
    <ul className="divide-y divide-slate-100" data-testid="recent-runs">
      {runs.map((run) => (
        <li key={run.id}>
          <Link href={`/runs/${run.id}`} className="block px-5 py-3 text-sm transition-colors hover:bg-slate-50">
            <div className="flex items-center justify-between gap-3">
              <p className="min-w-0 truncate font-mono text-xs font-medium text-slate-800">{run.pipeline}</p>
              <RunStatusBadge status={run.status} />
            </div>
            <div className="mt-1 flex items-center justify-between gap-3 text-xs text-slate-500">
              <p className="min-w-0 truncate" title={actorLabel(run.actor)}>
                {run.trigger} · {actorLabel(run.actor)}
              </p>
              <p className="shrink-0 tabular-nums">
                <time dateTime={run.queuedAt} title={formatDateTime(run.queuedAt)}>{formatRelative(run.queuedAt)}</time>
                {run.durationMs !== null ? <span className="text-slate-400"> · {formatDuration(run.durationMs)}</span> : null}
              </p>
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
