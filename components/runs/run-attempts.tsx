import Link from "next/link";
import { formatDateTime, formatDuration, formatRelative } from "@/components/ui/format";
import { isOpen, shortRunId } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import type { RunDto } from "@/lib/pipelines/run-dto";

// The runs that attempted the same work (one work key): a retry is a run of its own, so the
// record of an interrupted or failed attempt stays, and each attempt links to the others.

/** "Attempt 2 of 3 · work key …", under the title, when the run is one of several attempts. */
export function AttemptLine({ run, attempts }: { run: RunDto; attempts: RunDto[] }) {
  if (!run.workKey || (attempts.length < 2 && run.attempt < 2)) return null;
  return (
    <p className="mt-1 flex min-w-0 flex-wrap items-center gap-x-2 text-sm text-slate-500" data-testid="run-attempt-line">
      <a href="#attempts" className="font-medium text-brand-600 hover:underline">
        Attempt {run.attempt} of {Math.max(attempts.length, run.attempt)}
      </a>
      <span aria-hidden="true">·</span>
      {/* Keys never wrap (globals.css): a long one is cut short here; the Details card has it whole. */}
      <span className="flex min-w-0 max-w-full items-baseline gap-1">
        <span className="shrink-0">work key</span>
        <code className="min-w-0 truncate font-mono text-xs text-slate-700" title={run.workKey}>{run.workKey}</code>
      </span>
    </p>
  );
}

function startedOf(run: RunDto): React.ReactNode {
  const at = run.startedAt ?? run.queuedAt;
  return (
    <time dateTime={at} title={formatDateTime(at)} suppressHydrationWarning>
      {run.startedAt ? "started" : "queued"} {formatRelative(at)}
    </time>
  );
}

export function RunAttempts({ run, attempts }: { run: RunDto; attempts: RunDto[] }) {
  return (
    <ol className="divide-y divide-slate-100" data-testid="run-attempts">
      {attempts.map((attempt) => {
        const current = attempt.id === run.id;
        return (
          <li key={attempt.id} data-run-id={attempt.id}>
            <Link
              href={`/runs/${attempt.id}`}
              aria-current={current ? "page" : undefined}
              className={`block border-l-2 px-5 py-3 text-sm transition-colors ${current ? "border-brand-500 bg-brand-50/60" : "border-transparent hover:bg-slate-50"}`}
            >
              <span className="flex items-center justify-between gap-3">
                <span className="flex min-w-0 items-baseline gap-2">
                  <span className="font-medium text-slate-900">Attempt {attempt.attempt}</span>
                  <code className="truncate font-mono text-xs text-slate-500" title={attempt.id}>{shortRunId(attempt.id)}</code>
                  {current ? <span className="shrink-0 rounded bg-brand-100 px-1.5 py-0.5 text-[11px] font-medium text-brand-700">this run</span> : null}
                </span>
                <RunStatusBadge status={attempt.status} />
              </span>
              <span className="mt-1 flex flex-wrap gap-x-2 text-xs text-slate-500">
                <span>{startedOf(attempt)}</span>
                <span className="tabular-nums">· {isOpen(attempt.status) ? "still going" : formatDuration(attempt.durationMs)}</span>
                <span>· {attempt.trigger}</span>
              </span>
              {attempt.error ? (
                <span className={`mt-1.5 flex min-w-0 items-start gap-2 text-xs ${attempt.status === "cancelled" ? "text-slate-600" : "text-rose-800"}`}>
                  <code className="shrink-0 rounded bg-white px-1.5 py-0.5 font-mono ring-1 ring-inset ring-black/10">{attempt.error.code}</code>
                  <span className="min-w-0 break-words">{attempt.error.message}</span>
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
