import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { RunsExplorer } from "@/components/runs/runs-explorer";
import { allPipelines } from "@/lib/pipelines/catalog";
import { listRuns, listRunsQuery } from "@/lib/pipelines/list-runs";
import { parseRunFilters, runFiltersToQuery, runFiltersToSearch } from "@/lib/pipelines/run-filters";
import { RunsStoreProvider } from "@/lib/stores/runs-store";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission("activity.view");
  const filters = parseRunFilters(await searchParams);
  const page = await listRuns(listRunsQuery.parse(runFiltersToQuery(filters)));
  const pipelines = allPipelines().map((p) => ({ name: p.name, title: p.title }));
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every pipeline run from any trigger, newest first. Open runs update live."
        actions={<Link href="/pipelines" className={buttonClass("secondary")}>Pipelines</Link>}
      />
      <RunsStoreProvider key={runFiltersToSearch(filters)} initial={{ filters, ...page }}>
        <RunsExplorer pipelines={pipelines} />
      </RunsStoreProvider>
    </>
  );
}
