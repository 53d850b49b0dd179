import Link from "next/link";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { agentLabel, shortJobId, type AgentNames } from "@/components/jobs/job-labels";
import { JobStatusBadge } from "@/components/jobs/job-status-badge";
import type { JobDto } from "@/lib/jobs/job-dto";

// The jobs table of the board.

const th = "px-4 py-2.5 font-medium first:pl-5 last:pr-5";
const td = "px-4 py-3 first:pl-5 last:pr-5";

function When({ at, fallback = "—" }: { at: string | null; fallback?: string }) {
  if (!at) return <span className="text-slate-400">{fallback}</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)} suppressHydrationWarning>
      {formatRelative(at)}
    </time>
  );
}

export function JobTable({ jobs, kindTitles, agentNames }: { jobs: JobDto[]; kindTitles: Record<string, string>; agentNames: AgentNames }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[860px] text-left text-sm" data-testid="jobs-table">
        <thead className="border-b border-slate-100 bg-slate-50/60 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className={th}>Job</th>
            <th className={th}>Kind</th>
            <th className={th}>Status</th>
            <th className={`${th} text-right`}>Priority</th>
            <th className={`${th} text-right`}>Attempts</th>
            <th className={th}>Lease</th>
            <th className={th}>Created</th>
            <th className={th}>Finished</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {jobs.map((job) => {
            const holder = agentLabel(job.claimedByAgent, agentNames);
            return (
              <tr key={job.id} data-job-id={job.id} className="transition-colors hover:bg-slate-50">
                <td className={td}>
                  <Link href={`/jobs/${job.id}`} title={job.id} className="font-mono text-xs font-medium text-brand-600 hover:text-brand-700 hover:underline">
                    {shortJobId(job.id)}
                  </Link>
                </td>
                <td className={td}>
                  <span className="block text-slate-800">{kindTitles[job.kind] ?? job.kind}</span>
                  <span className="font-mono text-[11px] text-slate-400">{job.kind}</span>
                </td>
                <td className={td}><JobStatusBadge status={job.status} /></td>
                <td className={`${td} text-right tabular-nums text-slate-600`}>{job.priority}</td>
                <td className={`${td} text-right tabular-nums text-slate-600`}>
                  {job.attempts}<span className="text-slate-400">/{job.maxAttempts}</span>
                </td>
                <td className={td}>
                  {job.status === "claimed" && holder ? (
                    <>
                      <Link href={`/agents/${job.claimedByAgent}`} className="block max-w-[12rem] truncate text-slate-700 hover:text-brand-700 hover:underline" title={job.claimedByAgent ?? undefined}>
                        {holder}
                      </Link>
                      <span className="text-[11px] text-slate-400">
                        expires <When at={job.leaseExpiresAt} />
                      </span>
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className={`${td} whitespace-nowrap text-slate-600`}><When at={job.createdAt} /></td>
                <td className={`${td} whitespace-nowrap text-slate-600`}><When at={job.finishedAt} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
