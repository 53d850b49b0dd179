import { autocommit } from "@/lib/db/transaction";
import { INSTANCE_STALE_MS } from "@/lib/instances";
import { getLogger } from "@/lib/logger";
import { failRunsOfDeadInstances, type RunRow } from "@/lib/pipelines/runs.repository";

// A process that dies mid-run leaves its runs "running". Whichever instance notices first (at
// start, then after every heartbeat) closes them as failed, so none stays open for ever.

export const INTERRUPTED_ERROR = {
  code: "interrupted",
  message: "The app stopped while this run was in progress (crash or restart); it did not finish.",
};

/** A run recovery closed because its process died (not one that failed for a reason of its own). */
export function isInterruptedRun(run: Pick<RunRow, "status" | "error">): boolean {
  return run.status === "failed" && (run.error as { code?: string } | null)?.code === INTERRUPTED_ERROR.code;
}

export async function failInterruptedRuns(): Promise<string[]> {
  const ids = await failRunsOfDeadInstances(autocommit(), INSTANCE_STALE_MS, INTERRUPTED_ERROR);
  if (ids.length > 0) getLogger({ component: "recovery" }).warn({ runIds: ids }, `closed ${ids.length} interrupted run(s)`);
  return ids;
}
