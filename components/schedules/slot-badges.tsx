import type { SlotDto } from "@/lib/schedules/schedule-dto";

// How a slot's status and kind look in the history.

/** Fired on window by "Run now" with { slotId }, so the history on the page picks the slot up. */
export const RUN_STARTED_EVENT = "schedule-run-started";

export function isSlotOpen(status: SlotDto["status"]): boolean {
  return status === "pending" || status === "running";
}

const STATUS: Record<SlotDto["status"], { badge: string; dot: string }> = {
  pending: { badge: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  running: { badge: "bg-brand-50 text-brand-700 ring-brand-100", dot: "bg-brand-500 animate-pulse" },
  succeeded: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-200", dot: "bg-emerald-500" },
  failed: { badge: "bg-rose-50 text-rose-700 ring-rose-200", dot: "bg-rose-500" },
  skipped: { badge: "bg-slate-100 text-slate-600 ring-slate-200", dot: "bg-slate-400" },
};

export function SlotStatusBadge({ status }: { status: SlotDto["status"] }) {
  const style = STATUS[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}>
      <span className={`h-1.5 w-1.5 rounded-full ${style.dot}`} aria-hidden="true" />
      {status}
    </span>
  );
}

const KIND_LABEL: Record<SlotDto["kind"], string> = { regular: "on time", catch_up: "catch-up", manual: "run now" };

export function SlotKindLabel({ kind }: { kind: SlotDto["kind"] }) {
  return (
    <span data-kind={kind} className={`text-xs ${kind === "regular" ? "text-slate-500" : kind === "manual" ? "font-medium text-brand-700" : "font-medium text-amber-700"}`}>
      {KIND_LABEL[kind]}
    </span>
  );
}
