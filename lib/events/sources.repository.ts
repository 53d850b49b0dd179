import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Data access for webhook sources and their subscriptions. Every function takes the transaction
// it runs in. The sealed secret is selected by one function only, never by default.

export const sourceSelect = {
  id: true,
  name: true,
  description: true,
  toleranceSeconds: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.WebhookSourceSelect;

export type SourceRow = Prisma.WebhookSourceGetPayload<{ select: typeof sourceSelect }>;

export const subscriptionSelect = {
  id: true,
  sourceId: true,
  eventType: true,
  pipeline: true,
  inputTemplate: true,
  enabled: true,
  createdAt: true,
} satisfies Prisma.WebhookSubscriptionSelect;

export type SubscriptionRow = Prisma.WebhookSubscriptionGetPayload<{ select: typeof subscriptionSelect }>;

export function insertSource(
  tx: Tx,
  data: { id: string; name: string; description: string | null; toleranceSeconds: number; secretEncrypted: string },
): Promise<SourceRow> {
  return tx.webhookSource.create({ data, select: sourceSelect });
}

export function findSourceByName(tx: Tx, name: string): Promise<SourceRow | null> {
  return tx.webhookSource.findUnique({ where: { name }, select: sourceSelect });
}

export function findSourceById(tx: Tx, id: string): Promise<SourceRow | null> {
  return tx.webhookSource.findUnique({ where: { id }, select: sourceSelect });
}

/** The sealed signing secret; only the receiver and `webhooks sign` open it. */
export async function findSealedSecret(tx: Tx, id: string): Promise<string | null> {
  const row = await tx.webhookSource.findUnique({ where: { id }, select: { secretEncrypted: true } });
  return row?.secretEncrypted || null;
}

export function listSources(tx: Tx): Promise<(SourceRow & { _count: { subscriptions: number; events: number } })[]> {
  return tx.webhookSource.findMany({
    orderBy: { name: "asc" },
    select: { ...sourceSelect, _count: { select: { subscriptions: true, events: true } } },
  });
}

export function updateSource(
  tx: Tx,
  id: string,
  data: Partial<{ description: string | null; toleranceSeconds: number; enabled: boolean; secretEncrypted: string }>,
): Promise<SourceRow> {
  return tx.webhookSource.update({ where: { id }, data, select: sourceSelect });
}

export async function deleteSource(tx: Tx, id: string): Promise<boolean> {
  const { count } = await tx.webhookSource.deleteMany({ where: { id } });
  return count === 1;
}

export function insertSubscription(
  tx: Tx,
  data: { id: string; sourceId: string; eventType: string; pipeline: string; inputTemplate: Prisma.InputJsonValue; enabled: boolean },
): Promise<SubscriptionRow> {
  return tx.webhookSubscription.create({ data, select: subscriptionSelect });
}

export function findSubscription(tx: Tx, id: string): Promise<SubscriptionRow | null> {
  return tx.webhookSubscription.findUnique({ where: { id }, select: subscriptionSelect });
}

export function listSubscriptions(tx: Tx, sourceIds: string[]): Promise<SubscriptionRow[]> {
  return tx.webhookSubscription.findMany({
    where: { sourceId: { in: sourceIds } },
    orderBy: { id: "asc" },
    select: subscriptionSelect,
  });
}

/** Enabled subscriptions of a source for an event type: the exact type or "*". */
export function findMatchingSubscriptions(tx: Tx, sourceId: string, eventType: string | null): Promise<SubscriptionRow[]> {
  return tx.webhookSubscription.findMany({
    where: { sourceId, enabled: true, eventType: { in: eventType ? [eventType, "*"] : ["*"] } },
    orderBy: { id: "asc" },
    select: subscriptionSelect,
  });
}

export function updateSubscription(
  tx: Tx,
  id: string,
  data: Partial<{ eventType: string; pipeline: string; inputTemplate: Prisma.InputJsonValue; enabled: boolean }>,
): Promise<SubscriptionRow> {
  return tx.webhookSubscription.update({ where: { id }, data, select: subscriptionSelect });
}

export async function deleteSubscription(tx: Tx, id: string): Promise<boolean> {
  const { count } = await tx.webhookSubscription.deleteMany({ where: { id } });
  return count === 1;
}
