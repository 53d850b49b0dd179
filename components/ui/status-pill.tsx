// The status pill every list and detail page uses. Each domain maps its statuses to a tone, so
// "waiting", "working", "done" and "failed" look the same for runs, jobs and events.

const TONES = {
  waiting: { badge: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  working: { badge: "bg-brand-50 text-brand-700 ring-brand-100", dot: "bg-brand-500 animate-pulse" },
  done: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-200", dot: "bg-emerald-500" },
  failed: { badge: "bg-rose-50 text-rose-700 ring-rose-200", dot: "bg-rose-500" },
  dead: { badge: "bg-rose-100 text-rose-800 ring-rose-300", dot: "bg-rose-700" },
  muted: { badge: "bg-slate-100 text-slate-600 ring-slate-200", dot: "bg-slate-400" },
  set_aside: { badge: "bg-slate-100 text-slate-600 ring-slate-300", dot: "bg-slate-400" },
} as const;

export type StatusTone = keyof typeof TONES;

export function StatusPill({ status, tone, title }: { status: string; tone: StatusTone; title?: string }) {
  const style = TONES[tone];
  return (
    <span data-status={status} title={title} className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}>
      <span className={`h-1.5 w-1.5 rounded-full ${style.dot}`} aria-hidden="true" />
      {status}
    </span>
  );
}
