import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { filtersToSearch, type JobFilters } from "@/components/jobs/job-labels";
import { JobsBoard } from "@/components/jobs/jobs-board";
import { listAgentsWithStats } from "@/lib/agents/service";
import { JOB_STATUSES } from "@/lib/jobs/job-dto";
import { allJobKinds } from "@/lib/jobs/kinds";
import { listJobs } from "@/lib/jobs/read-jobs";
import { requirePagePermission } from "@/lib/auth/page-session";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function parseFilters(search: Search, kinds: string[]): JobFilters {
  const status = first(search.status);
  const kind = first(search.kind);
  return {
    status: JOB_STATUSES.find((s) => s === status) ?? null,
    kind: kind && kinds.includes(kind) ? kind : null,
  };
}

export default async function JobsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePagePermission("activity.view");
  const kinds = allJobKinds().map((k) => ({ name: k.name, title: k.title }));
  const filters = parseFilters(await searchParams, kinds.map((k) => k.name));
  const [page, agents] = await Promise.all([
    listJobs(user, { status: filters.status ?? undefined, kind: filters.kind ?? undefined, limit: 50 }),
    listAgentsWithStats(),
  ]);
  const agentNames = Object.fromEntries(agents.map((a) => [a.id, a.name]));
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Typed work prepared for agents. Agents claim jobs with a lease and send back results; open jobs update live."
        actions={
          <>
            <Link href="/agents" className={buttonClass("secondary")}>Agents</Link>
            {can(user.role, "work.run") ? <Link href="/jobs/new" className={buttonClass("primary")}>New job</Link> : null}
          </>
        }
      />
      <JobsBoard key={filtersToSearch(filters)} initial={page} initialFilters={filters} kinds={kinds} agentNames={agentNames} />
    </>
  );
}
