"use client";

import { useEffect, useState } from "react";
import { Spinner } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";
import { callApi } from "@/components/schedules/api-client";
import type { FieldIssue } from "@/lib/errors";
import type { Preview } from "@/lib/schedules/preview-schedule";

// The next five fire times of the cron being typed, in the schedule's timezone, fetched from the
// preview API a moment after typing stops.

export type PreviewState =
  | { status: "loading" }
  | { status: "ready"; preview: Preview }
  | { status: "invalid"; issues: FieldIssue[] }
  | { status: "error"; message: string };

const DEBOUNCE_MS = 300;

export function usePreview(cron: string, timezone: string): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setState((s) => (s.status === "ready" ? s : { status: "loading" }));
      try {
        const result = await callApi<Preview>("/api/schedules/preview", { method: "POST", body: { cron, timezone }, signal: controller.signal });
        if (result.ok) setState({ status: "ready", preview: result.data });
        else if (result.status === 400 && result.issues.length) setState({ status: "invalid", issues: result.issues });
        else setState({ status: "error", message: result.message });
      } catch {
        // Aborted: a newer request is on its way.
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [cron, timezone]);
  return state;
}

export function FireTimePreview({ state, timezone }: { state: PreviewState; timezone: string }) {
  return (
    <div aria-live="polite" data-testid="fire-time-preview">
      {state.status === "loading" ? (
        <p className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500"><Spinner /> Working out the fire times…</p>
      ) : state.status === "invalid" ? (
        <p className="px-5 py-6 text-sm text-slate-500">Fix the cron expression or timezone to see when it fires.</p>
      ) : state.status === "error" ? (
        <p role="alert" className="px-5 py-6 text-sm text-rose-700">{state.message}</p>
      ) : state.preview.fireTimes.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">This expression never fires again.</p>
      ) : (
        <>
          {state.preview.description ? <p className="px-5 pt-4 text-sm font-medium text-slate-800">{state.preview.description}</p> : null}
          <ol className="divide-y divide-slate-100 px-5 py-2">
            {state.preview.fireTimes.map((f) => (
              <li key={f.at} className="flex items-baseline justify-between gap-3 py-2 text-sm" data-testid="fire-time">
                <span className="text-slate-800">{f.local}</span>
                <time dateTime={f.at} title={`${f.at} (UTC${f.offset})`} className="shrink-0 text-xs text-slate-500">{formatRelative(f.at)}</time>
              </li>
            ))}
          </ol>
          <p className="border-t border-slate-100 px-5 py-3 text-xs text-slate-500">Times in {timezone}, daylight saving included.</p>
        </>
      )}
    </div>
  );
}
