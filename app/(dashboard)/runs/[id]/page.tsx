import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunDetail } from "@/components/runs/run-detail";
import { isAppError } from "@/lib/errors";
import { findPipeline } from "@/lib/pipelines/catalog";
import { getRunWithFamily } from "@/lib/pipelines/list-runs";
import { requirePagePermission } from "@/lib/auth/page-session";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${id}` };
}

async function findFamily(id: string) {
  try {
    return await getRunWithFamily(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function RunPage({ params }: Props) {
  await requirePagePermission("activity.view");
  const family = await findFamily((await params).id);
  // Keyed by run: going from one attempt's page to another's starts from that run's record.
  return <RunDetail key={family.run.id} initial={family} pipelineTitle={findPipeline(family.run.pipeline)?.title ?? null} />;
}
