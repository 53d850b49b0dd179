import type { JobStatus } from "@/components/jobs/job-labels";

const STYLES: Record<JobStatus, { badge: string; dot: string }> = {
  queued: { badge: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  claimed: { badge: "bg-brand-50 text-brand-700 ring-brand-100", dot: "bg-brand-500 animate-pulse" },
  succeeded: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-200", dot: "bg-emerald-500" },
  failed: { badge: "bg-rose-50 text-rose-700 ring-rose-200", dot: "bg-rose-500" },
  dead: { badge: "bg-rose-100 text-rose-800 ring-rose-300", dot: "bg-rose-700" },
  cancelled: { badge: "bg-slate-100 text-slate-600 ring-slate-200", dot: "bg-slate-400" },
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const style = STYLES[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}>
      <span className={`h-1.5 w-1.5 rounded-full ${style.dot}`} aria-hidden="true" />
      {status}
    </span>
  );
}
