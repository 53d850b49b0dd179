"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { Spinner, buttonClass } from "@/components/ui/button";
import { ListErrorBanner, LiveStatus, PagedList } from "@/components/ui/live-status";
import { Card, EmptyState } from "@/components/ui/card";
import { MultiSelect } from "@/components/runs/multi-select";
import { isOpen } from "@/components/runs/run-labels";
import { RunTable } from "@/components/runs/run-table";
import { usePolling } from "@/components/runs/use-polling";
import { ACTOR_TYPES, RUN_STATUSES, RUN_TRIGGERS } from "@/lib/pipelines/run-dto";
import {
  EMPTY_RUN_FILTERS,
  RUN_RANGES,
  hasRunFilters,
  parseRunFilters,
  runFiltersToSearch,
  type RunFilters,
} from "@/lib/pipelines/run-filters";
import { useRunsStore } from "@/lib/stores/runs-store";

// The runs page: filters kept in the URL (shareable) and in the store, the table, "Load more",
// and live status while any visible run is still open.

const RANGE_LABELS: Record<(typeof RUN_RANGES)[number], string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d", "30d": "30 d", all: "All" };

const selectClass =
  "h-9 rounded-lg border border-slate-300 bg-white pl-3 pr-8 text-sm text-slate-700 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

export function RunsExplorer({ pipelines }: { pipelines: { name: string; title: string }[] }) {
  const filters = useRunsStore((s) => s.filters);
  const runs = useRunsStore((s) => s.runs);
  const nextCursor = useRunsStore((s) => s.nextCursor);
  const load = useRunsStore((s) => s.load);
  const error = useRunsStore((s) => s.error);
  const setFilters = useRunsStore((s) => s.setFilters);
  const loadMore = useRunsStore((s) => s.loadMore);
  const refresh = useRunsStore((s) => s.refresh);
  const searchParams = useSearchParams();

  const update = (patch: Partial<RunFilters>) => {
    const search = runFiltersToSearch({ ...filters, ...patch });
    window.history.replaceState(null, "", search ? `/runs?${search}` : "/runs");
    void setFilters(patch);
  };

  // Back/forward, or a link to /runs with other filters while this page stays mounted.
  const urlSearch = runFiltersToSearch(parseRunFilters(new URLSearchParams(searchParams.toString())));
  useEffect(() => {
    if (urlSearch !== runFiltersToSearch(filters)) void setFilters(parseRunFilters(new URLSearchParams(urlSearch)));
    // Only a change of the URL should trigger this, not a change of the store.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlSearch]);

  const live = runs.some((r) => isOpen(r.status));
  usePolling(refresh, live && load === "idle");

  const pipelineOptions = filters.pipeline && !pipelines.some((p) => p.name === filters.pipeline)
    ? [...pipelines, { name: filters.pipeline, title: filters.pipeline }]
    : pipelines;
  const filtered = hasRunFilters(filters);

  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-5 py-3" role="search" aria-label="Filter runs">
        <select aria-label="Pipeline" value={filters.pipeline ?? ""} onChange={(e) => update({ pipeline: e.target.value || null })} className={selectClass}>
          <option value="">All pipelines</option>
          {pipelineOptions.map((p) => (
            <option key={p.name} value={p.name}>{p.name}</option>
          ))}
        </select>
        <MultiSelect label="Status" options={RUN_STATUSES} selected={filters.status} onChange={(v) => update({ status: RUN_STATUSES.filter((s) => v.includes(s)) })} />
        <MultiSelect label="Trigger" options={RUN_TRIGGERS} selected={filters.trigger} onChange={(v) => update({ trigger: RUN_TRIGGERS.filter((t) => v.includes(t)) })} />
        <select aria-label="Actor type" value={filters.actorType ?? ""} onChange={(e) => update({ actorType: (e.target.value || null) as RunFilters["actorType"] })} className={selectClass}>
          <option value="">Any actor</option>
          {ACTOR_TYPES.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
        <div role="group" aria-label="Time range" className="inline-flex h-9 items-center rounded-lg bg-slate-100 p-0.5 text-xs font-medium">
          {RUN_RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={filters.range === r}
              onClick={() => update({ range: r })}
              className={`h-8 rounded-md px-2.5 transition-colors ${filters.range === r ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
            >
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
        {filtered ? (
          <button type="button" onClick={() => update(EMPTY_RUN_FILTERS)} className="px-1 text-sm font-medium text-brand-600 hover:underline">
            Clear filters
          </button>
        ) : null}
        <div className="ml-auto flex items-center gap-2 text-xs text-slate-500" aria-live="polite">
          <LiveStatus loading={load === "loading"} live={live} />
        </div>
      </div>

      {error ? <ListErrorBanner message={error} onRetry={() => void setFilters({})} /> : null}

      {runs.length === 0 ? (
        load === "loading" ? (
          <div className="flex items-center justify-center gap-2 px-5 py-16 text-sm text-slate-500"><Spinner /> Loading runs…</div>
        ) : filtered ? (
          <EmptyState title="No runs match these filters">
            <button type="button" onClick={() => update(EMPTY_RUN_FILTERS)} className="font-medium text-brand-600 hover:underline">Clear the filters</button>
            {" "}or widen the time range.
          </EmptyState>
        ) : (
          <EmptyState title="No runs yet">
            Runs appear here as soon as anything runs a pipeline.
            <div className="mt-4">
              <Link href="/pipelines" className={buttonClass("primary")}>Run a pipeline</Link>
            </div>
          </EmptyState>
        )
      ) : (
        <PagedList load={load} count={runs.length} noun="run" hasMore={Boolean(nextCursor)} onLoadMore={() => void loadMore()}>
          <RunTable runs={runs} />
        </PagedList>
      )}
    </Card>
  );
}
