import Link from "next/link";
import { formatDateTime, formatDuration, formatRelative } from "@/components/ui/format";
import { actorLabel, shortRunId } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import type { RunDto } from "@/lib/pipelines/run-dto";

// The runs table, shared by the runs page (live, client) and the pipeline page (server).

const th = "px-4 py-2.5 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 first:pl-5 last:pr-5";

function durationOf(run: RunDto): React.ReactNode {
  if (run.durationMs !== null) return formatDuration(run.durationMs);
  return <span className="text-slate-400">{run.status === "running" || run.status === "queued" ? "…" : "—"}</span>;
}

/** Below the sm breakpoint the table becomes a list of runs, one block each, so nothing is cut off. */
function RunList({ runs, showPipeline }: { runs: RunDto[]; showPipeline: boolean }) {
  return (
    <ul className="divide-y divide-slate-100 sm:hidden" data-testid="runs-list">
      {runs.map((run) => (
        <li key={run.id} data-run-id={run.id}>
          <Link href={`/runs/${run.id}`} className="block px-4 py-3 hover:bg-slate-50">
            <span className="flex items-center justify-between gap-3">
              <span className="min-w-0 truncate font-mono text-xs font-medium text-slate-800">{showPipeline ? run.pipeline : shortRunId(run.id)}</span>
              <RunStatusBadge status={run.status} />
            </span>
            <span className="mt-1 flex flex-wrap gap-x-2 text-xs text-slate-500">
              <span className="min-w-0 truncate">{actorLabel(run.actor)}</span>
              <span>· {run.trigger}</span>
              <span>
                · <time dateTime={run.queuedAt} title={formatDateTime(run.queuedAt)} suppressHydrationWarning>{formatRelative(run.queuedAt)}</time>
              </span>
              <span className="tabular-nums">· {durationOf(run)}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function RunTable({ runs, showPipeline = true }: { runs: RunDto[]; showPipeline?: boolean }) {
  return (
    <>
    <RunList runs={runs} showPipeline={showPipeline} />
    <div className="hidden overflow-x-auto sm:block">
      <table className="w-full min-w-[720px] text-left text-sm" data-testid="runs-table">
        <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className={th}>Run</th>
            {showPipeline ? <th className={th}>Pipeline</th> : null}
            <th className={th}>Status</th>
            <th className={th}>Trigger</th>
            <th className={th}>Actor</th>
            <th className={th}>Queued</th>
            <th className={`${th} text-right`}>Duration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id} className="transition-colors hover:bg-slate-50">
              <td className={td}>
                <Link href={`/runs/${run.id}`} title={run.id} className="font-mono text-xs font-medium text-brand-600 hover:text-brand-700 hover:underline">
                  {shortRunId(run.id)}
                </Link>
                {run.parentRunId ? <span className="ml-1.5 text-[11px] text-slate-400" title={`Child of ${run.parentRunId}`}>child</span> : null}
              </td>
              {showPipeline ? (
                <td className={td}>
                  <Link href={`/pipelines/${run.pipeline}`} className="font-mono text-xs text-slate-700 hover:text-brand-700 hover:underline">
                    {run.pipeline}
                  </Link>
                </td>
              ) : null}
              <td className={td}><RunStatusBadge status={run.status} /></td>
              <td className={`${td} text-slate-600`}>{run.trigger}</td>
              <td className={td}>
                <span className="block max-w-[14rem] truncate text-slate-700" title={run.actor.id ?? undefined}>{actorLabel(run.actor)}</span>
                <span className="text-[11px] text-slate-400">{run.actor.type}</span>
              </td>
              <td className={`${td} whitespace-nowrap text-slate-600`}>
                <time dateTime={run.queuedAt} title={formatDateTime(run.queuedAt)} suppressHydrationWarning>{formatRelative(run.queuedAt)}</time>
              </td>
              <td className={`${td} whitespace-nowrap text-right tabular-nums text-slate-600`}>
                {durationOf(run)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    </>
  );
}
