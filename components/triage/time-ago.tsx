import { formatDateTime, formatRelative } from "@/components/ui/format";

/** A time as "3 minutes ago", exact in the tooltip; a dash when there is none. */
export function TimeAgo({ at, fallback = "—" }: { at: string | null; fallback?: string }) {
  if (!at) return <span className="text-slate-400">{fallback}</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)} suppressHydrationWarning>
      {formatRelative(at)}
    </time>
  );
}
