import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, Card, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { PipelineCard } from "@/components/pipelines/pipeline-card";
import { allPipelines, describePipeline } from "@/lib/pipelines/catalog";
import { areasOfferingPipelines } from "@/lib/chat/areas";
import { getPipelineRunStats } from "@/lib/overview/runs-overview";
import { requirePagePermission } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Pipelines" };
export const dynamic = "force-dynamic";

export default async function PipelinesPage() {
  await requirePagePermission("activity.view");
  const offering = await areasOfferingPipelines();
  // Which areas offer a pipeline is the areas' setting, not the pipeline's: the same answer as the Areas page.
  const pipelines = allPipelines().map((p) => ({ ...describePipeline(p), areas: offering.get(p.name) ?? [] }));
  const stats = await getPipelineRunStats(pipelines.map((p) => p.name));
  return (
    <>
      <PageHeader
        title="Pipelines"
        description="Every unit of work agents, schedules and you can run, with what it may touch. Open one to run it by hand."
        actions={<Link href="/runs" className={buttonClass("secondary")}>All runs</Link>}
      />
      {pipelines.length === 0 ? (
        <Card>
          <EmptyState title="No pipelines are registered">Add one in pipelines/ and list it in pipelines/registry.ts.</EmptyState>
        </Card>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {pipelines.map((p) => (
            <PipelineCard key={p.name} pipeline={p} stats={stats.get(p.name) ?? { runs7d: 0, lastRun: null }} />
          ))}
        </div>
      )}
    </>
  );
}
