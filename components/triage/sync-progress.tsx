"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { usePolling } from "@/components/runs/use-polling";
import { formatDuration } from "@/components/ui/format";
import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { SyncRunDto } from "@/lib/triage/sync-runs";
import { TimeAgo } from "./time-ago";
import { fetchRun } from "./triage-api";

// A sync run with a live progress bar: polled every second while it is queued or running, then
// the counters it finished with.

export const POLL_RUN_MS = 1_000;

const KIND_LABELS: Record<SyncRunDto["kind"], string> = { backfill: "Backfill", incremental: "Sync", full: "Full sync" };
const TRIGGER_LABELS: Record<SyncRunDto["trigger"], string> = {
  push: "after a push notification",
  poll: "scheduled check",
  backfill: "after connecting",
  manual: "started by hand",
  pipeline: "from a pipeline",
};
const STATUS_TONES: Record<SyncRunDto["status"], StatusTone> = { queued: "waiting", running: "working", succeeded: "done", failed: "failed" };

export const isOpenRun = (run: SyncRunDto) => run.status === "queued" || run.status === "running";
export const runKindText = (run: SyncRunDto) => `${KIND_LABELS[run.kind]} · ${TRIGGER_LABELS[run.trigger]}`;

export function RunStatusPill({ run }: { run: SyncRunDto }) {
  return <StatusPill status={run.status} tone={STATUS_TONES[run.status]} />;
}

function Counter({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <span className="whitespace-nowrap">
      <span className="font-semibold tabular-nums text-slate-800" data-testid={testId}>{value}</span> {label}
    </span>
  );
}

export function SyncProgress({ initial, onFinished }: { initial: SyncRunDto; onFinished: (run: SyncRunDto) => void }) {
  // Keyed by the run's id where it is used: a newer run mounts a new progress.
  const [run, setRun] = useState(initial);
  const finishedRef = useRef(onFinished);
  useEffect(() => {
    finishedRef.current = onFinished;
  }, [onFinished]);

  const open = isOpenRun(run);
  const tick = useCallback(async () => {
    const fresh = await fetchRun(run.id);
    setRun(fresh);
    if (!isOpenRun(fresh)) finishedRef.current(fresh);
  }, [run.id]);
  usePolling(tick, open, POLL_RUN_MS);

  const known = run.total > 0;
  const percent = known ? Math.min(100, Math.round((run.processed / run.total) * 100)) : run.status === "succeeded" ? 100 : 0;
  const took = run.startedAt && run.finishedAt ? new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime() : null;
  const barTone = run.status === "failed" ? "bg-rose-500" : run.status === "succeeded" ? "bg-emerald-500" : "bg-brand-500";

  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50/70 px-4 py-3" data-testid="sync-progress" data-run-id={run.id} data-status={run.status}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <div className="flex min-w-0 items-center gap-2">
          <span className="font-medium text-slate-800">{runKindText(run)}</span>
          <RunStatusPill run={run} />
        </div>
        <span className="text-xs text-slate-500">
          {open ? (
            <>started <TimeAgo at={run.startedAt ?? run.createdAt} /></>
          ) : (
            <>finished <TimeAgo at={run.finishedAt} />{took !== null ? ` in ${formatDuration(took)}` : ""}</>
          )}
        </span>
      </div>

      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={known ? run.total : undefined}
        aria-valuenow={known ? run.processed : undefined}
        className="mt-2.5 h-2 overflow-hidden rounded-full bg-slate-200"
      >
        {open && !known ? (
          <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-300" />
        ) : (
          <div className={`h-full rounded-full transition-[width] duration-500 ${barTone}`} style={{ width: `${percent}%` }} />
        )}
      </div>

      <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {open && !known ? (
          <span>{run.status === "queued" ? "Waiting to start…" : "Listing messages…"}</span>
        ) : (
          <span className="whitespace-nowrap" data-testid="sync-processed">
            <span className="font-semibold tabular-nums text-slate-800">{run.processed}</span> of <span className="tabular-nums">{run.total}</span> messages
          </span>
        )}
        <Counter label="auto-applied" value={run.autoApplied} testId="sync-applied" />
        <Counter label="queued for review" value={run.queuedForReview} testId="sync-review" />
        {run.skipped ? <Counter label="skipped" value={run.skipped} testId="sync-skipped" /> : null}
        {run.modelCalls ? <Counter label="model calls" value={run.modelCalls} testId="sync-model-calls" /> : null}
      </div>

      {run.error ? (
        <p className={`mt-2 text-xs ${run.status === "failed" ? "text-rose-700" : "text-amber-800"}`} role={run.status === "failed" ? "alert" : undefined}>
          {run.error}
        </p>
      ) : null}
      {run.undoneAt ? <p className="mt-2 text-xs text-slate-500">Its actions were undone <TimeAgo at={run.undoneAt} />.</p> : null}
    </div>
  );
}
