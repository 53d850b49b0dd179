import type { DispatchDto, EventStatus } from "@/lib/events/dto";

// Status pills for events and their dispatches, in the runs' colours.

const EVENT_STYLES: Record<EventStatus, { badge: string; dot: string; hint: string }> = {
  received: { badge: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500", hint: "Stored, waiting to be dispatched" },
  dispatched: { badge: "bg-brand-50 text-brand-700 ring-brand-100", dot: "bg-brand-500 animate-pulse", hint: "Its pipelines are running" },
  processed: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-200", dot: "bg-emerald-500", hint: "Every subscribed pipeline ran" },
  failed: { badge: "bg-rose-50 text-rose-700 ring-rose-200", dot: "bg-rose-500", hint: "A subscribed pipeline failed; it can be retried" },
  invalid: { badge: "bg-slate-100 text-slate-600 ring-slate-300", dot: "bg-slate-400", hint: "The payload is not a JSON object; kept, never dispatched" },
};

type DispatchStatus = DispatchDto["status"];

const DISPATCH_STYLES: Record<DispatchStatus, { badge: string; dot: string }> = {
  pending: { badge: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  running: { badge: "bg-brand-50 text-brand-700 ring-brand-100", dot: "bg-brand-500 animate-pulse" },
  succeeded: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-200", dot: "bg-emerald-500" },
  failed: { badge: "bg-rose-50 text-rose-700 ring-rose-200", dot: "bg-rose-500" },
  skipped: { badge: "bg-slate-100 text-slate-600 ring-slate-200", dot: "bg-slate-400" },
};

function Pill({ status, style, title }: { status: string; style: { badge: string; dot: string }; title?: string }) {
  return (
    <span data-status={status} title={title} className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}>
      <span className={`h-1.5 w-1.5 rounded-full ${style.dot}`} aria-hidden="true" />
      {status}
    </span>
  );
}

export function EventStatusBadge({ status }: { status: EventStatus }) {
  return <Pill status={status} style={EVENT_STYLES[status]} title={EVENT_STYLES[status].hint} />;
}

export function DispatchStatusBadge({ status }: { status: DispatchStatus }) {
  return <Pill status={status} style={DISPATCH_STYLES[status]} />;
}

export function isEventOpen(status: EventStatus): boolean {
  return status === "received" || status === "dispatched";
}

export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
