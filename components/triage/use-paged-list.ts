"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { ListLoad } from "@/components/ui/live-status";
import type { Page } from "./triage-api";
import { useTriage } from "./triage-context";

const MAX_REFRESH = 100;

/**
 * A cursor-paged list for the triage views: starts from the server's first page (or reads it),
 * "Load more" appends, and after a change elsewhere (useTriage().version) it re-reads what it
 * shows without dimming. Answers to an older read never overwrite a newer one.
 */
export function usePagedList<T>(fetchPage: (limit: number, before?: string | null) => Promise<Page<T>>, initial: Page<T> | null, pageSize: number) {
  const { version } = useTriage();
  const [page, setPage] = useState<Page<T>>(initial ?? { items: [], nextCursor: null });
  const [load, setLoad] = useState<ListLoad>(initial ? "idle" : "loading");
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const shown = useRef(page.items.length);
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    shown.current = page.items.length;
    fetchRef.current = fetchPage;
  });

  const reload = useCallback(async (quiet: boolean) => {
    const mine = ++generation.current;
    if (!quiet) setLoad("loading");
    setError(null);
    try {
      const fresh = await fetchRef.current(Math.min(Math.max(shown.current, pageSize), MAX_REFRESH));
      if (mine === generation.current) setPage(fresh);
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoad("idle");
    }
  }, [pageSize]);

  const loadMore = useCallback(async () => {
    if (!page.nextCursor) return;
    const mine = generation.current;
    setLoad("more");
    try {
      const more = await fetchRef.current(pageSize, page.nextCursor);
      if (mine === generation.current) setPage((p) => ({ items: [...p.items, ...more.items], nextCursor: more.nextCursor }));
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoad("idle");
    }
  }, [page.nextCursor, pageSize]);

  // The first read when the server sent nothing for this view.
  const started = useRef(Boolean(initial));
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void reload(false);
  }, [reload]);

  // A change elsewhere: re-read quietly.
  const seenVersion = useRef(version);
  useEffect(() => {
    if (seenVersion.current === version) return;
    seenVersion.current = version;
    void reload(true);
  }, [version, reload]);

  const update = useCallback((fn: (items: T[]) => T[]) => setPage((p) => ({ ...p, items: fn(p.items) })), []);

  return { items: page.items, hasMore: Boolean(page.nextCursor), load, error, reload: () => reload(false), loadMore, update };
}
