import { dispatchBackground } from "@/inngest/dispatch";
import { autocommit } from "@/lib/db/transaction";
import { ownsAccount, type MailboxScope } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { insertSyncRun, toSyncRunDto, type SyncRequest, type SyncRunDto } from "./sync-runs";

// Asking for a sync from the app (the dashboard, a new connection, polling): persisted, then
// dispatched to the background.

/**
 * Persists a run for a connected account and dispatches it to the background. An account that
 * already has a queued or running run of the same kind gets that one back instead of a second.
 * Someone else's account answers 404 like a missing one.
 */
export async function requestSync(scope: MailboxScope, request: SyncRequest): Promise<SyncRunDto> {
  const db = autocommit();
  const account = await db.emailAccount.findUnique({ where: { id: request.accountId }, select: { status: true, createdBy: true } });
  if (!account || !ownsAccount(scope, account)) throw new AppError("not_found", `No email account ${request.accountId}`);
  if (account.status === "disconnected") throw new AppError("conflict", "This email account is disconnected; connect it again first.");
  const pending = await db.triageSyncRun.findFirst({
    where: { accountId: request.accountId, kind: request.kind, status: { in: ["queued", "running"] } },
    orderBy: { createdAt: "desc" },
  });
  if (pending) return toSyncRunDto(pending);
  const row = await insertSyncRun(db, request);
  await dispatchBackground([{ name: "triage/sync.requested", data: { runId: row.id } }]);
  return toSyncRunDto(row);
}
