"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { ListErrorBanner, LiveStatus, PagedList, type ListLoad } from "@/components/ui/live-status";
import { Card, EmptyState } from "@/components/ui/card";
import type { RetryResult } from "@/components/events/event-detail";
import { isEventOpen } from "@/components/events/event-status-badge";
import { EventTable, type RowRetry } from "@/components/events/event-table";
import { usePolling } from "@/components/runs/use-polling";
import { useCan } from "@/components/shell/permissions";
import { EVENT_STATUSES, type EventDetailDto, type EventStatus, type EventSummaryDto } from "@/lib/events/dto";

// The events page: filters kept in the URL, the table, "Load more", a Retry on failed and dead
// rows (the event page's action), and live status while any visible event is still being handled.

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

/** Open rows the first page no longer lists that are refreshed one by one (at most this many per tick). */
const MAX_STRAY_ROWS = 10;

async function fetchEvent(id: string): Promise<EventDetailDto | null> {
  const res = await fetch(`/api/webhook-events/${id}`, { cache: "no-store" });
  return res.ok ? ((await res.json()) as { event: EventDetailDto }).event : null;
}

async function fetchPage(filters: EventFilters, cursor?: string): Promise<Page> {
  const res = await fetch(`/api/webhook-events?${toSearch(filters, cursor ? { cursor } : {})}`, { cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `The events could not be loaded (HTTP ${res.status})`);
  return body as Page;
}

export function EventsExplorer({
  initial,
  initialFilters,
  sources,
  retry,
}: {
  initial: Page;
  initialFilters: EventFilters;
  sources: string[];
  retry: (id: string) => Promise<RetryResult>;
}) {
  const [filters, setFilters] = useState(initialFilters);
  const [page, setPage] = useState(initial);
  const [load, setLoad] = useState<ListLoad>("idle");
  const [error, setError] = useState<string | null>(null);
  const [retries, setRetries] = useState<Record<string, RowRetry>>({});
  const mayRun = useCan("work.run");

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

  // Refresh the rows already shown (the first page and any loaded after it). An open row the first
  // page does not list (a dead event retried under ?status=dead, a row from "Load more") is fetched
  // on its own, so it does not stay "dispatched" on screen.
  const refresh = useCallback(async () => {
    const fresh = await fetchPage(filters);
    const byId = new Map<string, EventSummaryDto>(fresh.events.map((e) => [e.id, e]));
    const strays = page.events.filter((e) => isEventOpen(e.status) && !byId.has(e.id)).slice(0, MAX_STRAY_ROWS);
    for (const event of await Promise.all(strays.map((e) => fetchEvent(e.id)))) if (event) byId.set(event.id, event);
    setPage((p) => {
      const merged = p.events.map((e) => byId.get(e.id) ?? e);
      const newer = fresh.events.filter((e) => !p.events.some((x) => x.id === e.id) && (!p.events[0] || e.id > p.events[0].id));
      return { events: [...newer, ...merged], nextCursor: p.nextCursor };
    });
  }, [filters, page.events]);
  const live = page.events.some((e) => isEventOpen(e.status));
  usePolling(refresh, live && load === "idle");

  const retryRow = async (id: string) => {
    setRetries((r) => ({ ...r, [id]: { state: "pending" } }));
    let outcome: RowRetry;
    try {
      const result = await retry(id);
      if (result.status === "ok") {
        // The row shows the event as the retry left it (dispatched); polling follows it from there.
        setPage((p) => ({ ...p, events: p.events.map((e) => (e.id === id ? result.event : e)) }));
        outcome = { state: "done" };
      } else {
        outcome = { state: "error", message: result.message };
      }
    } catch {
      outcome = { state: "error", message: "The server could not be reached; try again." };
    }
    setRetries((r) => ({ ...r, [id]: outcome }));
  };

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
          <EventTable events={page.events} retry={mayRun ? { retries, onRetry: (id) => void retryRow(id) } : undefined} />
        </PagedList>
      )}
    </Card>
  );
}
