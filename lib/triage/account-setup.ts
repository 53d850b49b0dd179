import { getLogger } from "@/lib/logger";
import { requestSync, type SyncRunDto } from "./sync-runs";

// What follows a completed Gmail connection: the first backfill of recent mail (its progress shows
// on the triage dashboard). Failing to queue it does not undo the connection: the owner can start
// it again from the dashboard.
export async function afterGmailConnected(accountId: string, userId: string | null): Promise<{ backfill: SyncRunDto | null }> {
  const log = getLogger({ accountId });
  let backfill: SyncRunDto | null = null;
  try {
    backfill = await requestSync({ accountId, kind: "backfill", trigger: "backfill", requestedBy: userId });
  } catch (error) {
    log.error({ err: error }, "could not queue the first backfill");
  }
  return { backfill };
}
