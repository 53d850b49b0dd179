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
