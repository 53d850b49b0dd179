import Link from "next/link";
import { Button, Spinner } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { DispatchStatusBadge, EventStatusBadge, shortId } from "@/components/events/event-status-badge";
import type { EventSummaryDto } from "@/lib/events/dto";

// The events table: one row per received delivery, newest first; the status comes second, so a
// phone shows it without scrolling sideways, and a failed or dead event's Retry button under it.

/** A retry started from a row: running, done (the row shows the event as it is now), or refused. */
export type RowRetry = { state: "pending" } | { state: "done" } | { state: "error"; message: string };

/** Retry from the rows, for those who may run work (the server action checks again). */
export type TableRetry = { retries: Record<string, RowRetry>; onRetry: (id: string) => void };

const th = "px-4 py-2.5 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 first:pl-5 last:pr-5";

function Runs({ event }: { event: EventSummaryDto }) {
  if (event.runs.length === 0) {
    return <span className="text-xs text-slate-400">{event.status === "invalid" ? "not dispatched" : event.status === "processed" ? "no subscribers" : "—"}</span>;
  }
  return (
    <ul className="flex flex-wrap gap-1.5">
      {event.runs.map((r) => (
        <li key={r.dispatchId}>
          {r.runId ? (
            <Link href={`/runs/${r.runId}`} title={`Run ${r.runId} (${r.status})`} className="inline-flex items-center gap-1 hover:opacity-80">
              <DispatchStatusBadge status={r.status} />
            </Link>
          ) : (
            <DispatchStatusBadge status={r.status} />
          )}
        </li>
      ))}
    </ul>
  );
}

function RetryAction({ event, retry, onRetry }: { event: EventSummaryDto; retry: RowRetry | undefined; onRetry: (id: string) => void }) {
  const pending = retry?.state === "pending";
  const retryable = event.status === "failed" || event.status === "dead";
  return (
    <>
      {retryable || pending ? (
        <div className="mt-1.5">
          <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => onRetry(event.id)} disabled={pending} aria-label={`Retry event ${shortId(event.id)}`}>
            {pending ? <Spinner className="h-3.5 w-3.5" /> : null}
            {pending ? "Retrying…" : "Retry"}
          </Button>
        </div>
      ) : null}
      <div aria-live="polite">
        {retry?.state === "done" ? <span className="mt-1 block whitespace-nowrap text-[11px] text-slate-500">Dispatched again</span> : null}
        {retry?.state === "error" ? <span role="alert" className="mt-1 block max-w-[14rem] text-[11px] text-rose-700">{retry.message}</span> : null}
      </div>
    </>
  );
}

export function EventTable({ events, retry }: { events: EventSummaryDto[]; retry?: TableRetry }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[860px] text-left text-sm" data-testid="events-table">
        <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className={th}>Received</th>
            <th className={th}>Status</th>
            <th className={th}>Source</th>
            <th className={th}>Type</th>
            <th className={th}>Delivery</th>
            <th className={`${th} text-right`}>Attempts</th>
            <th className={th}>Runs</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((event) => (
            <tr key={event.id} data-event-id={event.id} className="transition-colors hover:bg-slate-50">
              <td className={`${td} whitespace-nowrap`}>
                <Link href={`/events/${event.id}`} title={event.id} className="font-medium text-brand-600 hover:text-brand-700 hover:underline">
                  <time dateTime={event.receivedAt} title={formatDateTime(event.receivedAt)} suppressHydrationWarning>{formatRelative(event.receivedAt)}</time>
                </Link>
                <span className="ml-1.5 font-mono text-[11px] text-slate-400">{shortId(event.id)}</span>
              </td>
              <td className={td}>
                <EventStatusBadge status={event.status} />
                {event.status === "failed" && event.nextAttemptAt ? (
                  <span className="mt-0.5 block whitespace-nowrap text-[11px] text-slate-500" title={formatDateTime(event.nextAttemptAt)} suppressHydrationWarning>
                    retry {formatRelative(event.nextAttemptAt)}
                  </span>
                ) : null}
                {retry ? <RetryAction event={event} retry={retry.retries[event.id]} onRetry={retry.onRetry} /> : null}
              </td>
              <td className={td}><span className="font-mono text-xs text-slate-700">{event.source}</span></td>
              <td className={td}>
                {event.eventType ? <span className="font-mono text-xs text-slate-700">{event.eventType}</span> : <span className="text-xs text-slate-400">untyped</span>}
              </td>
              <td className={td}>
                <span className="block max-w-[12rem] truncate font-mono text-xs text-slate-500" title={event.deliveryId}>{event.deliveryId}</span>
              </td>
              <td className={`${td} text-right tabular-nums text-slate-600`}>{event.attempts}</td>
              <td className={td}><Runs event={event} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
