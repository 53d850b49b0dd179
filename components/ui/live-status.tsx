import { Button, Spinner } from "@/components/ui/button";

/** "Loading…" while a list refreshes, a pulsing "Live" while it polls for open items, else nothing. */
export function LiveStatus({ loading, live }: { loading: boolean; live: boolean }) {
  if (loading) {
    return <span className="inline-flex items-center gap-1.5"><Spinner className="h-3.5 w-3.5" /> Loading…</span>;
  }
  if (!live) return null;
  return (
    <span className="inline-flex items-center gap-1.5" data-testid="live-indicator">
      <span className="relative flex h-2 w-2">
        <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-brand-500 opacity-60" />
        <span className="relative inline-flex h-2 w-2 rounded-full bg-brand-500" />
      </span>
      Live
    </span>
  );
}

/** A failed refresh of a list, with a way to try again. */
export function ListErrorBanner({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="flex items-center justify-between gap-3 border-b border-rose-100 bg-rose-50 px-5 py-2.5 text-sm text-rose-800">
      {message}
      <Button variant="secondary" onClick={onRetry}>Retry</Button>
    </div>
  );
}

export type ListLoad = "idle" | "loading" | "more";

/** A cursor-paged list: the rows, dimmed while they reload, with a count and "Load more". */
export function PagedList({
  load,
  count,
  noun,
  hasMore,
  onLoadMore,
  children,
}: {
  /** "error" (a failed refresh, shown by the caller's banner) keeps "Load more" disabled. */
  load: ListLoad | "error";
  count: number;
  noun: string;
  hasMore: boolean;
  onLoadMore: () => void;
  children: React.ReactNode;
}) {
  return (
    <div className={`transition-opacity ${load === "loading" ? "opacity-50" : ""}`} aria-busy={load === "loading"}>
      {children}
      <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 text-sm text-slate-500">
        <span>
          {count} {noun}{count === 1 ? "" : "s"}
          {hasMore ? " shown" : ""}
        </span>
        {hasMore ? (
          <Button variant="secondary" onClick={onLoadMore} disabled={load !== "idle"}>
            {load === "more" ? <Spinner /> : null}
            Load more
          </Button>
        ) : (
          <span className="text-xs text-slate-400">That is all of them</span>
        )}
      </div>
    </div>
  );
}
