"use client";

import { createContext, createElement, useContext, useState } from "react";
import { createStore, useStore, type StoreApi } from "zustand";
import type { RunDto } from "@/lib/pipelines/run-dto";
import { RUNS_PAGE_SIZE, runFiltersToQuery, type RunFilters } from "@/lib/pipelines/run-filters";

// The runs page on the client: its filters (mirrored in the URL by the page), the rows loaded so
// far and the cursor for the next page. One store per mounted page, seeded with what the server
// rendered, so navigating back to /runs never flashes another visit's rows.

const MAX_POLL_ROWS = 200;

export type RunsLoad = "idle" | "loading" | "more" | "error";

export type RunsState = {
  filters: RunFilters;
  runs: RunDto[];
  nextCursor: string | null;
  load: RunsLoad;
  error: string | null;
  setFilters(patch: Partial<RunFilters>): Promise<void>;
  loadMore(): Promise<void>;
  /** Re-reads the loaded rows (live status) and picks up new runs at the top. */
  refresh(): Promise<void>;
};

export type RunsPage = { runs: RunDto[]; nextCursor: string | null };

export async function fetchRuns(query: Record<string, string>, signal?: AbortSignal): Promise<RunsPage> {
  const res = await fetch(`/api/runs?${new URLSearchParams(query)}`, { cache: "no-store", signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `The runs could not be loaded (HTTP ${res.status})`);
  return body as RunsPage;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "The runs could not be loaded";
}

export function createRunsStore(initial: { filters: RunFilters } & RunsPage): StoreApi<RunsState> {
  // Each request takes a ticket; an answer that arrives after a newer request started is dropped.
  let ticket = 0;
  return createStore<RunsState>((set, get) => ({
    ...initial,
    load: "idle",
    error: null,

    async setFilters(patch) {
      const filters = { ...get().filters, ...patch };
      const mine = ++ticket;
      set({ filters, load: "loading", error: null });
      try {
        const page = await fetchRuns(runFiltersToQuery(filters));
        if (mine === ticket) set({ ...page, load: "idle" });
      } catch (error) {
        if (mine === ticket) set({ runs: [], nextCursor: null, load: "error", error: messageOf(error) });
      }
    },

    async loadMore() {
      const { filters, nextCursor, load } = get();
      if (!nextCursor || load !== "idle") return;
      const mine = ++ticket;
      set({ load: "more", error: null });
      try {
        const page = await fetchRuns(runFiltersToQuery(filters, { cursor: nextCursor }));
        if (mine === ticket) set((s) => ({ runs: [...s.runs, ...page.runs], nextCursor: page.nextCursor, load: "idle" }));
      } catch (error) {
        if (mine === ticket) set({ load: "idle", error: messageOf(error) });
      }
    },

    async refresh() {
      const { filters, runs, load } = get();
      if (load !== "idle") return;
      const mine = ++ticket;
      const limit = Math.min(Math.max(runs.length, RUNS_PAGE_SIZE), MAX_POLL_ROWS);
      try {
        const page = await fetchRuns(runFiltersToQuery(filters, { limit }));
        if (mine !== ticket) return;
        set((s) => {
          if (!page.nextCursor) return { runs: page.runs, nextCursor: null, error: null };
          // Rows loaded beyond what one poll re-reads stay as they were.
          const oldest = page.runs[page.runs.length - 1]!.id;
          const tail = s.runs.filter((r) => r.id < oldest);
          return { runs: [...page.runs, ...tail], nextCursor: tail.length ? s.nextCursor : page.nextCursor, error: null };
        });
      } catch {
        // A failed poll is retried on the next tick; the rows on screen stay.
      }
    },
  }));
}

const RunsStoreContext = createContext<StoreApi<RunsState> | null>(null);

export function RunsStoreProvider({ initial, children }: { initial: { filters: RunFilters } & RunsPage; children: React.ReactNode }) {
  const [store] = useState(() => createRunsStore(initial));
  return createElement(RunsStoreContext.Provider, { value: store }, children);
}

export function useRunsStore<T>(selector: (state: RunsState) => T): T {
  const store = useContext(RunsStoreContext);
  if (!store) throw new Error("useRunsStore needs a RunsStoreProvider above it");
  return useStore(store, selector);
}
