import { renewWatch, type RenewWatchResult } from "@/lib/email/watch";
import { getLogger } from "@/lib/logger";
import { requestSync } from "./request-sync";
import type { SyncRunDto } from "./sync-runs";

// What follows a completed Gmail connection: push notifications (users.watch, when a Pub/Sub topic
// is configured) and the first backfill of recent mail, whose progress shows on the triage
// dashboard. Neither failing undoes the connection: a failed watch shows as a warning and is
// retried by the renewal cron; a backfill can be started again from the dashboard.
export async function afterGmailConnected(accountId: string, userId: string | null): Promise<{ backfill: SyncRunDto | null; watch: RenewWatchResult | null }> {
  const log = getLogger({ accountId });
  let watch: RenewWatchResult | null = null;
  try {
    watch = await renewWatch(accountId);
  } catch (error) {
    log.error({ err: error }, "could not start push notifications");
  }
  let backfill: SyncRunDto | null = null;
  try {
    backfill = await requestSync("operator", { accountId, kind: "backfill", trigger: "backfill", requestedBy: userId });
  } catch (error) {
    log.error({ err: error }, "could not queue the first backfill");
  }
  return { backfill, watch };
}
