import { StatusPill, type StatusTone } from "@/components/ui/status-pill";
import type { DispatchDto, EventStatus } from "@/lib/events/dto";

// Status pills for events and their dispatches, in the runs' colours.

const EVENT_STATUS: Record<EventStatus, { tone: StatusTone; hint: string }> = {
  received: { tone: "waiting", hint: "Stored, waiting to be dispatched" },
  dispatched: { tone: "working", hint: "Its pipelines are running" },
  processed: { tone: "done", hint: "Every subscribed pipeline ran" },
  failed: { tone: "failed", hint: "A subscribed pipeline failed; it is retried on its own, or retry it now" },
  invalid: { tone: "set_aside", hint: "The payload is not a JSON object; kept, never dispatched" },
  dead: { tone: "dead", hint: "Automatic retries stopped; fix the cause, then retry it" },
};

type DispatchStatus = DispatchDto["status"];

const DISPATCH_TONES: Record<DispatchStatus, StatusTone> = {
  pending: "waiting",
  running: "working",
  succeeded: "done",
  failed: "failed",
  skipped: "muted",
};

export function EventStatusBadge({ status }: { status: EventStatus }) {
  return <StatusPill status={status} tone={EVENT_STATUS[status].tone} title={EVENT_STATUS[status].hint} />;
}

export function DispatchStatusBadge({ status }: { status: DispatchStatus }) {
  return <StatusPill status={status} tone={DISPATCH_TONES[status]} />;
}

export function isEventOpen(status: EventStatus): boolean {
  return status === "received" || status === "dispatched";
}

export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
