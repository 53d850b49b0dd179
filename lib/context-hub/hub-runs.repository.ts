import type { Tx } from "@/lib/db/transaction";

// The runs that wrote to the context hub: the hub's change history lives in the run record, not in
// a table of its own, so every change carries the actor, trigger and request of the run that made it.

export const HUB_WRITING_PIPELINES = ["context.write", "notes.capture"] as const;

const hubRunSelect = {
  id: true,
  pipeline: true,
  trigger: true,
  output: true,
  actorType: true,
  actorLabel: true,
  parentRunId: true,
  conversationId: true,
  finishedAt: true,
  queuedAt: true,
} as const;

export type HubRunRow = {
  id: string;
  pipeline: string;
  trigger: string;
  output: unknown;
  actorType: string;
  actorLabel: string | null;
  parentRunId: string | null;
  conversationId: string | null;
  finishedAt: Date | null;
  queuedAt: Date;
};

/** Newest first; only runs that succeeded changed anything. */
export function listHubWriteRuns(tx: Tx, limit: number, path?: string): Promise<HubRunRow[]> {
  return tx.pipelineRun.findMany({
    where: {
      pipeline: { in: [...HUB_WRITING_PIPELINES] },
      status: "succeeded",
      ...(path ? { output: { path: ["path"], equals: path } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit,
    select: hubRunSelect,
  });
}
