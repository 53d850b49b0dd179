import { isHistoryExpired, type EmailProvider } from "@/lib/email/provider";

// Which messages a sync looks at. Incremental: everything added since the stored history id.
// When that history has expired (Gmail keeps about a week) or was never stored: a bounded full
// sync of recent inbox mail instead. Backfill: recent inbox mail, bounded by days and count.
// `endHistoryId` is where the next incremental sync continues; for listings it is read before
// listing, so mail arriving meanwhile is picked up next time (and skipped if already triaged).

export const FULL_SYNC_DAYS = 7;
const PAGE_SIZE = 500;

export type Listing = {
  kind: "backfill" | "incremental" | "full";
  messageIds: string[];
  startHistoryId: string | null;
  endHistoryId: string;
  /** Set when an incremental sync turned into a full one. */
  fellBackBecause?: string;
};

async function listRecent(provider: EmailProvider, now: Date, days: number, max: number): Promise<{ ids: string[]; historyId: string }> {
  const { historyId } = await provider.getProfile();
  const listing = await provider.listMessageIds({
    since: new Date(now.getTime() - days * 86_400_000),
    labelIds: ["INBOX"],
    pageSize: Math.min(PAGE_SIZE, max),
    maxPages: Math.ceil(max / PAGE_SIZE),
  });
  return { ids: listing.messages.slice(0, max).map((m) => m.id), historyId };
}

export async function listForSync(
  provider: EmailProvider,
  run: { kind: string; sinceDays: number | null; maxMessages: number | null },
  account: { historyId: string | null },
  options: { now: Date; fullSyncMax: number },
): Promise<Listing> {
  if (run.kind === "backfill") {
    const { ids, historyId } = await listRecent(provider, options.now, run.sinceDays ?? 30, run.maxMessages ?? options.fullSyncMax);
    return { kind: "backfill", messageIds: ids, startHistoryId: null, endHistoryId: historyId };
  }
  if (run.kind === "incremental" && account.historyId) {
    try {
      const changes = await provider.listHistory(account.historyId);
      return { kind: "incremental", messageIds: changes.addedMessageIds, startHistoryId: account.historyId, endHistoryId: changes.historyId };
    } catch (error) {
      if (!isHistoryExpired(error)) throw error;
      const { ids, historyId } = await listRecent(provider, options.now, FULL_SYNC_DAYS, options.fullSyncMax);
      return {
        kind: "full",
        messageIds: ids,
        startHistoryId: account.historyId,
        endHistoryId: historyId,
        fellBackBecause: `The mailbox history from ${account.historyId} has expired; synced the last ${FULL_SYNC_DAYS} days instead.`,
      };
    }
  }
  const { ids, historyId } = await listRecent(provider, options.now, FULL_SYNC_DAYS, options.fullSyncMax);
  return { kind: "full", messageIds: ids, startHistoryId: account.historyId, endHistoryId: historyId };
}
