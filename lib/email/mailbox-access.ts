import type { Prisma } from "@/generated/prisma/client";
import type { Role } from "@/lib/auth/permissions";
import { autocommit } from "@/lib/db/transaction";
import { listAccountIds } from "./accounts.repository";

// Whose mailbox is whose. A mailbox belongs to the person who connected it (email_accounts.created_by);
// one connected before that was recorded (created_by null) belongs to the installation's owners.
// Its triage (messages, actions, review queue, sync runs, stats) is that person's alone, whatever
// their role: every triage read and write takes a MailboxScope and filters by it, and an id in
// someone else's mailbox answers 404 exactly like a missing one. Background work (sync, push,
// watch renewal) and the CLI, which runs as the server's operator, use "operator": every mailbox.

export type MailboxUser = { id: string; role: Role };
export type MailboxScope = MailboxUser | "operator";

/** The `where` that selects the accounts the scope owns. */
export function ownedAccountsWhere(scope: MailboxScope): Prisma.EmailAccountWhereInput {
  if (scope === "operator") return {};
  return scope.role === "owner" ? { OR: [{ createdBy: scope.id }, { createdBy: null }] } : { createdBy: scope.id };
}

/** The ids of the accounts the scope owns; null for the operator (every account). */
export async function ownedAccountIds(scope: MailboxScope): Promise<string[] | null> {
  if (scope === "operator") return null;
  return listAccountIds(autocommit(), ownedAccountsWhere(scope));
}

/**
 * A filter on `account_id` for rows of the scope's mailboxes, narrowed to `accountId` when one is
 * asked for (someone else's account then matches nothing, like an unknown one).
 */
export async function accountIdFilter(scope: MailboxScope, accountId?: string): Promise<Prisma.StringFilter | string | undefined> {
  const owned = await ownedAccountIds(scope);
  if (owned === null) return accountId;
  if (accountId) return owned.includes(accountId) ? accountId : { in: [] };
  return { in: owned };
}

export function ownsAccount(scope: MailboxScope, account: { createdBy: string | null }): boolean {
  if (scope === "operator") return true;
  return account.createdBy === scope.id || (account.createdBy === null && scope.role === "owner");
}

// Work made from a mailbox's mail — an agent job whose input came from a message (a reply draft),
// its approval — carries the mail's sender, subject and text, so it is private the same way: such
// a record names its mailbox (`mailbox_account_id`) and only the mailbox's owner sees or decides
// it; for everyone else it does not exist. Records from no mailbox are the installation's.

/** A `where` on `mailboxAccountId` keeping what the scope may see; undefined for the operator (all). */
export async function visibleMailboxWhere(scope: MailboxScope): Promise<{ OR: ({ mailboxAccountId: null } | { mailboxAccountId: { in: string[] } })[] } | undefined> {
  const owned = await ownedAccountIds(scope);
  if (owned === null) return undefined;
  return { OR: [{ mailboxAccountId: null }, { mailboxAccountId: { in: owned } }] };
}

/** Whether the scope may see a record made from `mailboxAccountId`'s mail (null: from no mailbox). */
export async function seesMailbox(scope: MailboxScope, mailboxAccountId: string | null): Promise<boolean> {
  if (mailboxAccountId === null || scope === "operator") return true;
  const account = await autocommit().emailAccount.findUnique({ where: { id: mailboxAccountId }, select: { createdBy: true } });
  return account !== null && ownsAccount(scope, account);
}
