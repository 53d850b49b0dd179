import Link from "next/link";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { agentLabel, type AgentNames } from "@/components/jobs/job-labels";
import type { JobEventDto } from "@/lib/jobs/job-dto";

// A job's events, newest first: who did what to it and when.

const TONES: Record<string, BadgeTone> = {
  created: "gray",
  claimed: "blue",
  heartbeat: "gray",
  completed: "green",
  refused: "amber",
  failed: "red",
  expired: "amber",
  dead: "red",
  cancelled: "gray",
  retried: "blue",
  result_retried: "blue",
};

const th = "px-4 py-2.5 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 align-top first:pl-5 last:pr-5";

function detailText(detail: unknown): string | null {
  if (detail === null || detail === undefined) return null;
  if (typeof detail !== "object") return String(detail);
  const entries = Object.entries(detail as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  if (!entries.length) return null;
  return entries.map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(" · ");
}

export function JobEventTrail({ events, agentNames }: { events: JobEventDto[]; agentNames: AgentNames }) {
  const newestFirst = [...events].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  if (!newestFirst.length) return <p className="px-5 py-6 text-sm text-slate-500">No events recorded.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[760px] text-left text-sm" data-testid="job-events">
        <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className={th}>Event</th>
            <th className={th}>When</th>
            <th className={th}>Agent</th>
            <th className={th}>Token</th>
            <th className={`${th} text-right`}>Attempt</th>
            <th className={th}>Detail</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {newestFirst.map((event) => {
            const text = detailText(event.detail);
            return (
              <tr key={event.id} data-event-type={event.type}>
                <td className={td}><Badge tone={TONES[event.type] ?? "gray"}>{event.type}</Badge></td>
                <td className={`${td} whitespace-nowrap text-slate-600`}>
                  <time dateTime={event.createdAt} title={formatDateTime(event.createdAt)} suppressHydrationWarning>{formatRelative(event.createdAt)}</time>
                </td>
                <td className={td}>
                  {event.agentId ? (
                    <Link href={`/agents/${event.agentId}`} className="text-slate-700 hover:text-brand-700 hover:underline" title={event.agentId}>
                      {agentLabel(event.agentId, agentNames)}
                    </Link>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className={td}>
                  {event.tokenId ? <code className="font-mono text-xs text-slate-600" title={event.tokenId}>…{event.tokenId.slice(-8)}</code> : <span className="text-slate-400">—</span>}
                </td>
                <td className={`${td} text-right tabular-nums text-slate-600`}>{event.attempt ?? <span className="text-slate-400">—</span>}</td>
                <td className={`${td} max-w-md break-words text-xs text-slate-600`}>{text ?? <span className="text-slate-400">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
