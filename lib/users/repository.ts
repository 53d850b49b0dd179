import type { Prisma, UserRole } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { authChangedAfterCommit } from "@/lib/auth/auth-changes";

// Data access for users. Takes the caller's transaction; never commits on its own.
// The password hash is only ever selected by the one function that verifies it.

export const publicUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  sessionVersion: true,
  disabledAt: true,
  lastSignInAt: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

export type PublicUser = Prisma.UserGetPayload<{ select: typeof publicUserSelect }>;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserById(tx: Tx, id: string): Promise<PublicUser | null> {
  return tx.user.findUnique({ where: { id }, select: publicUserSelect });
}

export function findUserByEmail(tx: Tx, email: string): Promise<PublicUser | null> {
  return tx.user.findUnique({ where: { email: normalizeEmail(email) }, select: publicUserSelect });
}

export function findCredentialsByEmail(tx: Tx, email: string) {
  return tx.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { ...publicUserSelect, passwordHash: true },
  });
}

export function listUsers(tx: Tx): Promise<PublicUser[]> {
  return tx.user.findMany({ select: publicUserSelect, orderBy: { createdAt: "asc" } });
}

export function countUsers(tx: Tx, where: Prisma.UserWhereInput = {}): Promise<number> {
  return tx.user.count({ where });
}

export function insertUser(
  tx: Tx,
  data: { email: string; name?: string | null; passwordHash: string | null; role: UserRole },
): Promise<PublicUser> {
  return tx.user.create({
    data: { id: newId("usr"), ...data, email: normalizeEmail(data.email) },
    select: publicUserSelect,
  });
}

/** Any change (role, disabled, a new password's session version) applies to the user's next request (see auth-changes). */
export async function updateUser(tx: Tx, id: string, data: Prisma.UserUpdateInput): Promise<PublicUser> {
  const updated = await tx.user.update({ where: { id }, data, select: publicUserSelect });
  authChangedAfterCommit(tx);
  return updated;
}

/** Serialises changes to who the owners are until the transaction ends (a Postgres advisory lock). */
export async function lockOwners(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pa:owners'))`;
}
