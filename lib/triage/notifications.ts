import { getConfig } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { isAppError } from "@/lib/errors";
import * as notifications from "@/lib/email/notifications.repository";
import { getLogger } from "@/lib/logger";
import { executeSyncRun, type SyncDependencies } from "./sync";
import { requestSync } from "./request-sync";
import { insertSyncRun } from "./sync-runs";

// From a stored push notification to a sync. Notifications repeat and overlap (Pub/Sub delivers
// at least once, and Gmail sends one per change): one that the stored history id already covers
// is marked processed without syncing, and a sync in progress makes the next one wait (RetryLater
// from executeSyncRun), after which the history id usually covers it too.

export type NotificationOutcome = { status: "processed" | "ignored" | "failed"; syncRunId: string | null; covered?: boolean };

function mark(id: string, status: NotificationOutcome["status"], data: { syncRunId?: string | null; error?: string | null } = {}) {
  return notifications.markNotification(autocommit(), id, { status, ...data });
}

const covers = (stored: string | null, notified: string) => stored !== null && /^\d+$/.test(stored) && /^\d+$/.test(notified) && BigInt(notified) <= BigInt(stored);

export async function processNotification(notificationId: string, deps: SyncDependencies = {}): Promise<NotificationOutcome> {
  const db = autocommit();
  const notification = await notifications.findNotificationById(autocommit(), notificationId);
  if (!notification || notification.status !== "received") {
    return { status: (notification?.status as NotificationOutcome["status"]) ?? "ignored", syncRunId: notification?.syncRunId ?? null };
  }
  const account = notification.accountId
    ? await db.emailAccount.findUnique({ where: { id: notification.accountId }, select: { id: true, status: true, historyId: true } })
    : null;
  if (!account || account.status === "disconnected") {
    await mark(notificationId, "ignored", { error: "No connected account for this address" });
    return { status: "ignored", syncRunId: null };
  }
  if (covers(account.historyId, notification.historyId)) {
    await mark(notificationId, "processed");
    return { status: "processed", syncRunId: null, covered: true };
  }
  // Reuse a queued incremental run (a retry of this notification, or another one) rather than pile up.
  const queued = await db.triageSyncRun.findFirst({ where: { accountId: account.id, kind: "incremental", status: "queued" }, orderBy: { createdAt: "asc" } });
  const run = queued ?? (await insertSyncRun(db, { accountId: account.id, kind: "incremental", trigger: "push" }));
  const result = await executeSyncRun(run.id, deps); // RetryLater propagates: the driver retries
  if (result.status === "failed") {
    await mark(notificationId, "failed", { syncRunId: run.id, error: result.error });
    return { status: "failed", syncRunId: run.id };
  }
  const syncRunId = result.discarded ? null : run.id;
  await mark(notificationId, "processed", { syncRunId });
  return { status: "processed", syncRunId };
}

/** Stored notifications whose dispatch was lost (the process died, Inngest unreachable). */
export async function findNotificationsToRedispatch(olderThanMs = 120_000): Promise<{ notificationId: string }[]> {
  const rows = await notifications.findNotificationsToRedispatch(autocommit(), olderThanMs);
  return rows.filter((r) => r.accountId !== null).map((r) => ({ notificationId: r.id }));
}

/**
 * Without push (no topic configured, or the watch lapsed), mailboxes are synced every
 * GMAIL_POLL_MINUTES: queues an incremental run for each connected account last synced longer ago.
 */
export async function pollMailboxes(now = new Date()): Promise<{ queued: number }> {
  const config = getConfig();
  if (config.GMAIL_POLL_MINUTES === 0) return { queued: 0 };
  const due = new Date(now.getTime() - config.GMAIL_POLL_MINUTES * 60_000);
  const pushWorks = (a: { watchExpiration: Date | null; watchError: string | null }) =>
    Boolean(config.GMAIL_PUBSUB_TOPIC && config.GMAIL_PUSH_AUDIENCE && a.watchExpiration && a.watchExpiration > now && !a.watchError);
  const accounts = await autocommit().emailAccount.findMany({
    where: { status: "connected", OR: [{ lastSyncAt: null }, { lastSyncAt: { lt: due } }] },
    select: { id: true, watchExpiration: true, watchError: true },
  });
  let queued = 0;
  for (const account of accounts.filter((a) => !pushWorks(a))) {
    try {
      await requestSync("operator", { accountId: account.id, kind: "incremental", trigger: "poll" });
      queued++;
    } catch (error) {
      if (!isAppError(error)) throw error;
      getLogger({ component: "triage-poll", accountId: account.id }).warn({ reason: error.message }, "could not queue a poll");
    }
  }
  return { queued };
}
