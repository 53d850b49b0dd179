"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Spinner } from "@/components/ui/button";
import { formatDuration } from "@/components/ui/format";
import { JsonView } from "@/components/runs/json-view";
import { RunError } from "@/components/runs/run-error";
import { isOpen } from "@/components/runs/run-labels";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { usePolling } from "@/components/runs/use-polling";
import type { RunDto } from "@/lib/pipelines/run-dto";

// The outcome of a run started from the form; a run still going when the action answered is
// followed live until it closes.

export function RunResult({ initial }: { initial: RunDto }) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const open = isOpen(run.status);
  const wasOpen = useRef(open);

  const poll = useCallback(async () => {
    const res = await fetch(`/api/runs/${run.id}`, { cache: "no-store" });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      setPollError(body?.error?.message ?? `Could not refresh the run (HTTP ${res.status})`);
      return;
    }
    setPollError(null);
    setRun(body.run as RunDto);
  }, [run.id]);
  usePolling(poll, open);

  useEffect(() => {
    // The recent runs below were rendered while this one was open.
    if (wasOpen.current && !open) router.refresh();
    wasOpen.current = open;
  }, [open, router]);

  return (
    <div data-testid="run-result" aria-live="polite" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <RunStatusBadge status={run.status} />
          <span className="text-sm text-slate-600">
            {open ? "Still running…" : `in ${formatDuration(run.durationMs)}`}
          </span>
        </div>
        <Link href={`/runs/${run.id}`} className="text-sm font-medium text-brand-600 hover:text-brand-700 hover:underline">
          View run <span className="font-mono text-xs">{run.id}</span> →
        </Link>
      </div>
      {open ? (
        <div className="flex items-center gap-3 rounded-lg border border-brand-100 bg-brand-50 px-4 py-3 text-sm text-brand-700">
          <Spinner />
          The run is still going; its result appears here when it finishes (you can leave this page).
        </div>
      ) : null}
      {pollError ? <p className="text-xs text-rose-700">{pollError}</p> : null}
      {run.status === "succeeded" ? <JsonView value={run.output} label="Output" testId="run-output" /> : null}
      {run.error && !open ? <RunError error={run.error} status={run.status} /> : null}
    </div>
  );
}
