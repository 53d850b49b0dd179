import type { RunStatus } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Aggregate reads over pipeline runs for the overview and the catalogue. Each takes the
// transaction it runs in; the (pipeline, id) and (status, id) indexes serve them.

export function countOpenRuns(tx: Tx): Promise<number> {
  return tx.pipelineRun.count({ where: { status: { in: ["queued", "running"] } } });
}

export async function countRunsPerPipeline(tx: Tx, since: Date): Promise<Map<string, number>> {
  const rows = await tx.pipelineRun.groupBy({ by: ["pipeline"], where: { queuedAt: { gte: since } }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.pipeline, r._count._all]));
}

export type LastRun = { id: string; status: RunStatus; queuedAt: Date };

export function findLastRun(tx: Tx, pipeline: string): Promise<LastRun | null> {
  return tx.pipelineRun.findFirst({
    where: { pipeline },
    orderBy: { id: "desc" },
    select: { id: true, status: true, queuedAt: true },
  });
}
