import { getConfig } from "@/lib/config";
import { listAccounts, type EmailAccountDto } from "@/lib/email/accounts";
import type { MailboxScope } from "@/lib/email/mailbox-access";
import { watchHealth, type WatchHealth } from "@/lib/email/watch";
import { listSyncRuns, type SyncRunDto } from "./sync-runs";

// The mailboxes panel of the triage dashboard: each account with the health of its push
// notifications (so a lapsed or failing watch is seen, not discovered) and its latest sync.

export type MailboxSummary = {
  account: EmailAccountDto;
  watch: WatchHealth;
  /** The newest sync run of the mailbox (queued, running or finished), if any. */
  latestRun: SyncRunDto | null;
};

/** The scope's own mailboxes (the operator's: every one). */
export async function listMailboxes(scope: MailboxScope, now = new Date()): Promise<MailboxSummary[]> {
  const config = getConfig();
  const accounts = await listAccounts(scope);
  return Promise.all(
    accounts.map(async (account) => {
      const [latestRun] = await listSyncRuns(scope, { accountId: account.id, limit: 1 });
      return { account, watch: watchHealth(account, now, config), latestRun: latestRun ?? null };
    }),
  );
}
