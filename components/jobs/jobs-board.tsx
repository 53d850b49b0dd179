"use client";

import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { Spinner, buttonClass } from "@/components/ui/button";
import { ListErrorBanner, LiveStatus, PagedList, type ListLoad } from "@/components/ui/live-status";
import { Card, EmptyState } from "@/components/ui/card";
import { usePolling } from "@/components/runs/use-polling";
import { filtersToSearch, isActiveJob, type AgentNames, type JobFilters, type JobStatus } from "@/components/jobs/job-labels";
import { JobTable } from "@/components/jobs/job-table";
import { JOB_STATUSES, type JobDto } from "@/lib/jobs/job-dto";
import type { JobList } from "@/lib/jobs/read-jobs";
import { useCan } from "@/components/shell/permissions";

// The jobs board: status tabs with counts, a kind filter (both kept in the URL), the table with
// "Load more", and live refresh while any visible job is queued or claimed.

const PAGE_SIZE = 50;

const selectClass =
  "h-9 rounded-lg border border-slate-300 bg-white pl-3 pr-8 text-sm text-slate-700 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

const TAB_DOT: Record<JobStatus, string> = {
  queued: "bg-amber-500",
  claimed: "bg-brand-500",
  succeeded: "bg-emerald-500",
  failed: "bg-rose-500",
  dead: "bg-rose-700",
  cancelled: "bg-slate-400",
};

async function fetchJobs(filters: JobFilters, limit: number, cursor?: string): Promise<JobList> {
  const search = new URLSearchParams(filtersToSearch(filters));
  search.set("limit", String(limit));
  if (cursor) search.set("cursor", cursor);
  const res = await fetch(`/api/jobs?${search}`, { cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `The jobs could not be loaded (HTTP ${res.status})`);
  return body as JobList;
}

export function JobsBoard({
  initial,
  initialFilters,
  kinds,
  agentNames,
}: {
  initial: JobList;
  initialFilters: JobFilters;
  kinds: { name: string; title: string }[];
  agentNames: AgentNames;
}) {
  const mayRun = useCan("work.run");
  const [filters, setFiltersState] = useState(initialFilters);
  const [list, setList] = useState<{ jobs: JobDto[]; nextCursor: string | null }>({ jobs: initial.jobs, nextCursor: initial.nextCursor });
  const [counts, setCounts] = useState(initial.counts);
  const [load, setLoad] = useState<ListLoad>("idle");
  const [error, setError] = useState<string | null>(null);
  // Responses of an older filter must not overwrite a newer one.
  const generation = useRef(0);

  const applyFilters = async (patch: Partial<JobFilters>) => {
    const next = { ...filters, ...patch };
    const search = filtersToSearch(next);
    window.history.replaceState(null, "", search ? `/jobs?${search}` : "/jobs");
    setFiltersState(next);
    const mine = ++generation.current;
    setLoad("loading");
    setError(null);
    try {
      const page = await fetchJobs(next, PAGE_SIZE);
      if (mine !== generation.current) return;
      setList({ jobs: page.jobs, nextCursor: page.nextCursor });
      setCounts(page.counts);
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoad("idle");
    }
  };

  const loadMore = async () => {
    if (!list.nextCursor) return;
    const mine = generation.current;
    setLoad("more");
    try {
      const page = await fetchJobs(filters, PAGE_SIZE, list.nextCursor);
      if (mine !== generation.current) return;
      setList((l) => ({ jobs: [...l.jobs, ...page.jobs], nextCursor: page.nextCursor }));
      setCounts(page.counts);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoad("idle");
    }
  };

  // Re-reads everything shown so far (up to the API's page limit) so statuses and counts stay current.
  const refresh = useCallback(async () => {
    const mine = generation.current;
    const page = await fetchJobs(filters, Math.min(Math.max(list.jobs.length, PAGE_SIZE), 200));
    if (mine !== generation.current) return;
    setList({ jobs: page.jobs, nextCursor: page.nextCursor });
    setCounts(page.counts);
  }, [filters, list.jobs.length]);

  const live = list.jobs.some((j) => isActiveJob(j.status));
  usePolling(refresh, live && load === "idle");

  const kindTitles = Object.fromEntries(kinds.map((k) => [k.name, k.title]));
  const total = JOB_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const filtered = Boolean(filters.status || filters.kind);

  const tab = (status: JobStatus | null, label: string, count: number) => {
    const active = filters.status === status;
    return (
      <button
        key={label}
        type="button"
        role="tab"
        aria-selected={active}
        data-testid={`jobs-tab-${status ?? "all"}`}
        onClick={() => void applyFilters({ status })}
        className={`-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-3 text-sm font-medium transition-colors ${
          active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800"
        }`}
      >
        {status ? <span className={`h-1.5 w-1.5 rounded-full ${TAB_DOT[status]}`} aria-hidden="true" /> : null}
        {label}
        <span className={`rounded-full px-1.5 py-0.5 text-[11px] tabular-nums ${active ? "bg-brand-50 text-brand-700" : "bg-slate-100 text-slate-600"}`}>{count}</span>
      </button>
    );
  };

  return (
    <Card>
      <div className="flex flex-wrap items-end justify-between gap-x-4 border-b border-slate-200 px-3">
        <div role="tablist" aria-label="Job status" className="flex flex-wrap">
          {tab(null, "All", total)}
          {JOB_STATUSES.map((s) => tab(s, s[0]!.toUpperCase() + s.slice(1), counts[s]))}
        </div>
        <div className="flex items-center gap-3 py-2" role="search" aria-label="Filter jobs">
          <span className="flex items-center gap-2 text-xs text-slate-500" aria-live="polite">
            <LiveStatus loading={load === "loading"} live={live} />
          </span>
          <select aria-label="Kind" value={filters.kind ?? ""} onChange={(e) => void applyFilters({ kind: e.target.value || null })} className={selectClass}>
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k.name} value={k.name}>{k.title} ({k.name})</option>
            ))}
          </select>
        </div>
      </div>

      {error ? <ListErrorBanner message={error} onRetry={() => void applyFilters({})} /> : null}

      {list.jobs.length === 0 ? (
        load === "loading" ? (
          <div className="flex items-center justify-center gap-2 px-5 py-16 text-sm text-slate-500"><Spinner /> Loading jobs…</div>
        ) : filtered ? (
          <EmptyState title="No jobs match these filters">
            <button type="button" onClick={() => void applyFilters({ status: null, kind: null })} className="font-medium text-brand-600 hover:underline">
              Show all jobs
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No jobs yet">
            <p className="mx-auto max-w-xl">
              Jobs are work prepared for agents. They are created by the{" "}
              <Link href="/pipelines/agent-jobs.create" className="font-mono text-xs text-brand-600 hover:underline">agent-jobs.create</Link>{" "}
              pipeline, whether a schedule, a webhook or a chat runs it, or by hand with New job. Agents with the job
              kind in their scope claim them with a lease and send back a result; set one up under{" "}
              <Link href="/agents" className="font-medium text-brand-600 hover:underline">Agents</Link>.
            </p>
            {mayRun ? (
              <div className="mt-4">
                <Link href="/jobs/new" className={buttonClass("primary")}>New job</Link>
              </div>
            ) : null}
          </EmptyState>
        )
      ) : (
        <PagedList load={load} count={list.jobs.length} noun="job" hasMore={Boolean(list.nextCursor)} onLoadMore={() => void loadMore()}>
          <JobTable jobs={list.jobs} kindTitles={kindTitles} agentNames={agentNames} />
        </PagedList>
      )}
    </Card>
  );
}
