import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Data access for Gmail push notifications (gmail_notifications). Takes the caller's transaction;
// never commits on its own. A notification is stored once per Pub/Sub message id: redeliveries of
// the same message find the first row instead of adding one.

export const NOTIFICATION_STATUSES = ["received", "processed", "ignored", "failed"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const notificationSelect = {
  id: true,
  pubsubMessageId: true,
  emailAddress: true,
  historyId: true,
  accountId: true,
  status: true,
  syncRunId: true,
  error: true,
  attempts: true,
  publishedAt: true,
  receivedAt: true,
  processedAt: true,
} satisfies Prisma.GmailNotificationSelect;

export type NotificationRow = Prisma.GmailNotificationGetPayload<{ select: typeof notificationSelect }>;

export type NewNotification = {
  id: string;
  pubsubMessageId: string;
  emailAddress: string;
  historyId: string;
  accountId: string | null;
  status: NotificationStatus;
  publishedAt: Date | null;
};

export type InsertResult = { inserted: true; notification: NotificationRow } | { inserted: false; notification: NotificationRow };

/**
 * Inserts the notification unless one with the same Pub/Sub message id exists, in which case that
 * one is returned with `inserted: false`. ON CONFLICT DO NOTHING, so it is safe inside a transaction.
 */
export async function insertNotification(tx: Tx, data: NewNotification): Promise<InsertResult> {
  const [created] = await tx.gmailNotification.createManyAndReturn({ data: [data], skipDuplicates: true, select: notificationSelect });
  if (created) return { inserted: true, notification: created };
  const existing = await tx.gmailNotification.findUnique({ where: { pubsubMessageId: data.pubsubMessageId }, select: notificationSelect });
  // Only a concurrent delete could get here; the caller's retry (Pub/Sub's) then inserts it.
  if (!existing) throw new Error(`Gmail notification ${data.pubsubMessageId} conflicted but cannot be found`);
  return { inserted: false, notification: existing };
}

export function findNotificationById(tx: Tx, id: string): Promise<NotificationRow | null> {
  return tx.gmailNotification.findUnique({ where: { id }, select: notificationSelect });
}

/** Records how handling a notification ended; every call counts as one attempt. */
export function markNotification(
  tx: Tx,
  id: string,
  outcome: { status: NotificationStatus; syncRunId?: string | null; error?: string | null },
  now: Date = new Date(),
): Promise<NotificationRow> {
  return tx.gmailNotification.update({
    where: { id },
    data: {
      status: outcome.status,
      ...(outcome.syncRunId !== undefined ? { syncRunId: outcome.syncRunId } : {}),
      error: outcome.error ?? null,
      processedAt: now,
      attempts: { increment: 1 },
    },
    select: notificationSelect,
  });
}

/** Still "received" and older than `olderThanMs`: persisted, but their hand-off never finished. Oldest first, at most 100. */
export function findNotificationsToRedispatch(tx: Tx, olderThanMs: number, now: Date = new Date()): Promise<NotificationRow[]> {
  return tx.gmailNotification.findMany({
    where: { status: "received", receivedAt: { lt: new Date(now.getTime() - olderThanMs) } },
    orderBy: { receivedAt: "asc" },
    take: 100,
    select: notificationSelect,
  });
}

/** Newest first; one account's when `accountId` is given. */
export function listRecentNotifications(tx: Tx, options: { accountId?: string; limit: number }): Promise<NotificationRow[]> {
  return tx.gmailNotification.findMany({
    where: options.accountId ? { accountId: options.accountId } : {},
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: Math.max(1, Math.min(options.limit, 500)),
    select: notificationSelect,
  });
}
