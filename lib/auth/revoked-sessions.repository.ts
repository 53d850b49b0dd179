import type { Tx } from "@/lib/db/transaction";
import { authChangedAfterCommit } from "@/lib/auth/auth-changes";

// Sessions ended by signing out (see lib/auth/session.ts). Takes the caller's transaction.

export async function revokeSession(tx: Tx, session: { sid: string; userId: string; expiresAt: Date }): Promise<void> {
  await tx.revokedSession.upsert({ where: { sid: session.sid }, create: session, update: {} });
  authChangedAfterCommit(tx);
  // Rows past their token's expiry mean nothing any more; sign-outs are rare, so tidy up here.
  await tx.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}

export async function isSessionRevoked(tx: Tx, sid: string): Promise<boolean> {
  return (await tx.revokedSession.count({ where: { sid } })) > 0;
}
