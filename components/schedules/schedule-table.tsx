import Link from "next/link";
import { formatRelative } from "@/components/ui/format";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { EnabledToggle } from "@/components/schedules/enabled-toggle";
import type { ScheduleListItem } from "@/lib/schedules/read-schedules";

// The schedules list: what runs when, in each schedule's own timezone, and how it last went.

const th = "px-4 py-2.5 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 align-top first:pl-5 last:pr-5";

export function ScheduleTable({ schedules }: { schedules: ScheduleListItem[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[900px] text-left text-sm" data-testid="schedules-table">
        <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className={th}>Schedule</th>
            <th className={th}>When</th>
            <th className={th}>Pipeline</th>
            <th className={th}>Next run</th>
            <th className={th}>Last run</th>
            <th className={th}>Enabled</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {schedules.map((s) => (
            <tr key={s.id} data-schedule={s.name} className="transition-colors hover:bg-slate-50">
              <td className={td}>
                <Link href={`/schedules/${s.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">{s.name}</Link>
                {s.description ? <p className="mt-0.5 max-w-xs truncate text-xs text-slate-500">{s.description}</p> : null}
                {s.openSlots.running + s.openSlots.pending > 0 ? (
                  <p className="mt-0.5 text-xs text-brand-700">{s.openSlots.running ? `${s.openSlots.running} running` : `${s.openSlots.pending} pending`}</p>
                ) : null}
              </td>
              <td className={td}>
                <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{s.cron}</code>
                <p className="mt-1 text-xs text-slate-500">{s.cronDescription ? `${s.cronDescription} · ` : ""}{s.timezone}</p>
              </td>
              <td className={td}>
                <Link href={`/pipelines/${s.pipeline}`} className="font-mono text-xs text-slate-700 hover:text-brand-700 hover:underline">{s.pipeline}</Link>
              </td>
              <td className={`${td} whitespace-nowrap`} data-testid="next-run">
                {s.nextRun ? (
                  <>
                    <span className="text-slate-800">{s.nextRun.local}</span>
                    <p className="text-xs text-slate-500"><time dateTime={s.nextRun.at} suppressHydrationWarning>{formatRelative(s.nextRun.at)}</time></p>
                  </>
                ) : (
                  <span className="text-slate-400">{s.enabled ? "never again" : "paused"}</span>
                )}
              </td>
              <td className={`${td} whitespace-nowrap`}>
                {s.lastRun ? (
                  <Link href={`/runs/${s.lastRun.id}`} className="inline-flex flex-col gap-1 hover:opacity-80">
                    <RunStatusBadge status={s.lastRun.status} />
                    <time className="text-xs text-slate-500" dateTime={s.lastRun.at} suppressHydrationWarning>{formatRelative(s.lastRun.at)}</time>
                  </Link>
                ) : (
                  <span className="text-slate-400">not yet</span>
                )}
              </td>
              <td className={td}><EnabledToggle key={`${s.id}-${s.enabled}`} id={s.id} name={s.name} enabled={s.enabled} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
