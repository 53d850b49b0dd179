import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";

// Data access for connected email accounts. Takes the caller's transaction; never commits on its
// own. The sealed tokens are selected only by findSealedTokens and the rotation listing; every
// other read uses publicAccountSelect, which has no token column.

export const publicAccountSelect = {
  id: true,
  emailAddress: true,
  provider: true,
  accessTokenExpiresAt: true,
  scopes: true,
  historyId: true,
  watchExpiration: true,
  watchRenewedAt: true,
  watchError: true,
  lastSyncAt: true,
  status: true,
  lastError: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.EmailAccountSelect;

export type AccountRow = Prisma.EmailAccountGetPayload<{ select: typeof publicAccountSelect }>;

export type SealedTokens = {
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string;
  accessTokenExpiresAt: Date | null;
};

export function findAccountById(tx: Tx, id: string): Promise<AccountRow | null> {
  return tx.emailAccount.findUnique({ where: { id }, select: publicAccountSelect });
}

export function findAccountByAddress(tx: Tx, emailAddress: string): Promise<AccountRow | null> {
  return tx.emailAccount.findUnique({ where: { emailAddress }, select: publicAccountSelect });
}

/** `where`: whose accounts (lib/email/mailbox-access.ts ownedAccountsWhere). */
export function listAccounts(tx: Tx, where: Prisma.EmailAccountWhereInput): Promise<AccountRow[]> {
  return tx.emailAccount.findMany({ where, select: publicAccountSelect, orderBy: { emailAddress: "asc" } });
}

/** The ids of the accounts `where` selects (whose triage rows a person may read). */
export async function listAccountIds(tx: Tx, where: Prisma.EmailAccountWhereInput): Promise<string[]> {
  return (await tx.emailAccount.findMany({ where, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
}

export function insertAccount(
  tx: Tx,
  data: { id: string; emailAddress: string; provider: string; scopes: string[]; historyId: string | null; createdBy: string | null } & SealedTokens,
): Promise<AccountRow> {
  return tx.emailAccount.create({ data: { ...data, status: "connected", lastError: null }, select: publicAccountSelect });
}

/** A reconnect: new tokens and scopes, back to connected. The history id is left alone (it only moves forward). */
export function replaceTokens(tx: Tx, id: string, data: { scopes: string[] } & SealedTokens): Promise<AccountRow> {
  return tx.emailAccount.update({ where: { id }, data: { ...data, status: "connected", lastError: null }, select: publicAccountSelect });
}

/** The sealed tokens of one account; null when it has none (disconnected). */
export async function findSealedTokens(tx: Tx, id: string): Promise<SealedTokens | null> {
  const row = await tx.emailAccount.findUnique({
    where: { id },
    select: { accessTokenEncrypted: true, refreshTokenEncrypted: true, accessTokenExpiresAt: true },
  });
  if (!row?.refreshTokenEncrypted) return null;
  return { accessTokenEncrypted: row.accessTokenEncrypted ?? "", refreshTokenEncrypted: row.refreshTokenEncrypted, accessTokenExpiresAt: row.accessTokenExpiresAt };
}

/** Stores tokens from an automatic refresh, unless the account was disconnected meanwhile. */
export async function storeRefreshedTokens(tx: Tx, id: string, data: SealedTokens): Promise<void> {
  await tx.emailAccount.updateMany({ where: { id, refreshTokenEncrypted: { not: null } }, data });
}

/** Deletes both tokens and marks the account disconnected. */
export async function clearTokens(tx: Tx, id: string): Promise<void> {
  await tx.emailAccount.update({
    where: { id },
    data: { accessTokenEncrypted: null, refreshTokenEncrypted: null, accessTokenExpiresAt: null, status: "disconnected", lastError: null, watchExpiration: null },
  });
}

export async function setAccountError(tx: Tx, id: string, lastError: string): Promise<void> {
  await tx.emailAccount.update({ where: { id }, data: { status: "error", lastError } });
}

/** Every sealed token, for key rotation. Locks the rows so no refresh writes in between. */
export function listSealedForRotation(tx: Tx) {
  return tx.$queryRaw<{ id: string; access_token_encrypted: string | null; refresh_token_encrypted: string | null }[]>`
    SELECT id, access_token_encrypted, refresh_token_encrypted FROM email_accounts
    WHERE access_token_encrypted IS NOT NULL OR refresh_token_encrypted IS NOT NULL
    ORDER BY id FOR UPDATE`;
}

export async function updateSealed(tx: Tx, id: string, data: { accessTokenEncrypted?: string | null; refreshTokenEncrypted?: string | null }): Promise<void> {
  await tx.emailAccount.update({ where: { id }, data });
}

/**
 * Records a users.watch renewal (or its failure: only `watchError` given). Skips an account that
 * was disconnected meanwhile, so a late renewal cannot bring back its watch; returns whether it wrote.
 */
export async function updateWatch(
  tx: Tx,
  id: string,
  data: { watchExpiration?: Date | null; watchRenewedAt?: Date | null; watchError: string | null },
): Promise<boolean> {
  const { count } = await tx.emailAccount.updateMany({ where: { id, refreshTokenEncrypted: { not: null } }, data });
  return count === 1;
}

/** Connected accounts whose watch was last renewed before `renewedBefore` (or never), or expires before `expiringBefore` (or was never set). */
export function listAccountsDueForWatch(tx: Tx, due: { renewedBefore: Date; expiringBefore: Date }): Promise<AccountRow[]> {
  return tx.emailAccount.findMany({
    where: {
      status: "connected",
      OR: [
        { watchRenewedAt: null },
        { watchRenewedAt: { lt: due.renewedBefore } },
        { watchExpiration: null },
        { watchExpiration: { lt: due.expiringBefore } },
      ],
    },
    select: publicAccountSelect,
    orderBy: { id: "asc" },
  });
}
