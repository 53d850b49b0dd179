import { autocommit } from "@/lib/db/transaction";

// One sync per mailbox at a time. The lease is a time on the account row, taken with one
// conditional UPDATE and renewed after every batch; a process that dies leaves it to expire. The
// run id is kept beside it, so only the holder renews (record-batch.ts) or releases it. A run is
// never executed twice at once: a second executor of the same run waits like any other sync.

export const LEASE_SECONDS = 300;

export async function acquireSyncLease(accountId: string, runId: string): Promise<boolean> {
  const taken = await autocommit().$executeRaw`
    UPDATE email_accounts SET sync_lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), sync_lease_holder = ${runId}
    WHERE id = ${accountId} AND (sync_lease_until IS NULL OR sync_lease_until < now())`;
  return taken === 1;
}

export async function releaseSyncLease(accountId: string, runId: string): Promise<void> {
  await autocommit().$executeRaw`
    UPDATE email_accounts SET sync_lease_until = NULL, sync_lease_holder = NULL
    WHERE id = ${accountId} AND sync_lease_holder = ${runId}`;
}

/** Stores where the next incremental sync starts, only ever moving it forward. */
export async function advanceHistoryId(accountId: string, historyId: string, now: Date): Promise<void> {
  if (!/^\d+$/.test(historyId)) return;
  await autocommit().$executeRaw`
    UPDATE email_accounts
    SET history_id = CASE WHEN history_id IS NULL OR history_id::numeric < ${historyId}::numeric THEN ${historyId} ELSE history_id END,
        last_sync_at = ${now}
    WHERE id = ${accountId}`;
}
