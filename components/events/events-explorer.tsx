"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { ListErrorBanner, LiveStatus, PagedList, type ListLoad } from "@/components/ui/live-status";
import { Card, EmptyState } from "@/components/ui/card";
import { isEventOpen } from "@/components/events/event-status-badge";
import { EventTable } from "@/components/events/event-table";
import { usePolling } from "@/components/runs/use-polling";
import { EVENT_STATUSES, type EventStatus, type EventSummaryDto } from "@/lib/events/dto";

// The events page: filters kept in the URL, the table, "Load more", and live status while any
// visible event is still being handled.

export type EventFilters = { source: string | null; status: EventStatus | null };
type Page = { events: EventSummaryDto[]; nextCursor: string | null };

const selectClass =
  "h-9 rounded-lg border border-slate-300 bg-white pl-3 pr-8 text-sm text-slate-700 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";

function toSearch(filters: EventFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.source) params.set("source", filters.source);
  if (filters.status) params.set("status", filters.status);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

async function fetchPage(filters: EventFilters, cursor?: string): Promise<Page> {
  const res = await fetch(`/api/webhook-events?${toSearch(filters, cursor ? { cursor } : {})}`, { cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `The events could not be loaded (HTTP ${res.status})`);
  return body as Page;
}

export function EventsExplorer({ initial, initialFilters, sources }: { initial: Page; initialFilters: EventFilters; sources: string[] }) {
  const [filters, setFilters] = useState(initialFilters);
  const [page, setPage] = useState(initial);
  const [load, setLoad] = useState<ListLoad>("idle");
  const [error, setError] = useState<string | null>(null);

  const apply = async (next: EventFilters) => {
    setFilters(next);
    const search = toSearch(next);
    window.history.replaceState(null, "", search ? `/events?${search}` : "/events");
    setLoad("loading");
    setError(null);
    try {
      setPage(await fetchPage(next));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoad("idle");
    }
  };

  const loadMore = async () => {
    if (!page.nextCursor) return;
    setLoad("more");
    try {
      const more = await fetchPage(filters, page.nextCursor);
      setPage((p) => ({ events: [...p.events, ...more.events], nextCursor: more.nextCursor }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoad("idle");
    }
  };

  // Refresh the rows already shown (the first page and any loaded after it).
  const refresh = useCallback(async () => {
    const fresh = await fetchPage(filters);
    setPage((p) => {
      const byId = new Map(fresh.events.map((e) => [e.id, e]));
      const merged = p.events.map((e) => byId.get(e.id) ?? e);
      const newer = fresh.events.filter((e) => !p.events.some((x) => x.id === e.id) && (!p.events[0] || e.id > p.events[0].id));
      return { events: [...newer, ...merged], nextCursor: p.nextCursor };
    });
  }, [filters]);
  const live = page.events.some((e) => isEventOpen(e.status));
  usePolling(refresh, live && load === "idle");

  const filtered = Boolean(filters.source || filters.status);
  const sourceOptions = filters.source && !sources.includes(filters.source) ? [...sources, filters.source] : sources;

  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-5 py-3" role="search" aria-label="Filter events">
        <select aria-label="Source" value={filters.source ?? ""} onChange={(e) => void apply({ ...filters, source: e.target.value || null })} className={selectClass}>
          <option value="">All sources</option>
          {sourceOptions.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
        <select
          aria-label="Status"
          value={filters.status ?? ""}
          onChange={(e) => void apply({ ...filters, status: (e.target.value || null) as EventStatus | null })}
          className={selectClass}
        >
          <option value="">Any status</option>
          {EVENT_STATUSES.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
        {filtered ? (
          <button type="button" onClick={() => void apply({ source: null, status: null })} className="px-1 text-sm font-medium text-brand-600 hover:underline">
            Clear filters
          </button>
        ) : null}
        <div className="ml-auto flex items-center gap-2 text-xs text-slate-500" aria-live="polite">
          <LiveStatus loading={load === "loading"} live={live} />
        </div>
      </div>

      {error ? <ListErrorBanner message={error} onRetry={() => void apply(filters)} /> : null}

      {page.events.length === 0 ? (
        filtered ? (
          <EmptyState title="No events match these filters">
            <button type="button" onClick={() => void apply({ source: null, status: null })} className="font-medium text-brand-600 hover:underline">Clear the filters</button>
          </EmptyState>
        ) : (
          <EmptyState title="No events received yet">
            {sources.length === 0
              ? "Create a webhook source: it gives you an endpoint and a signing secret. Senders POST signed JSON to it; each delivery shows up here."
              : "Deliveries to your sources' endpoints appear here as soon as they arrive. The Sources page has a ready-to-paste curl command to send a test event."}
            <div className="mt-4">
              <Link href="/events/sources" className={buttonClass("primary")}>{sources.length === 0 ? "Create a source" : "Open sources"}</Link>
            </div>
          </EmptyState>
        )
      ) : (
        <PagedList load={load} count={page.events.length} noun="event" hasMore={Boolean(page.nextCursor)} onLoadMore={() => void loadMore()}>
          <EventTable events={page.events} />
        </PagedList>
      )}
    </Card>
  );
}
