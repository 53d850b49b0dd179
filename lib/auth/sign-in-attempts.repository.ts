import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";

export type AttemptRecord = {
  email: string;
  ip: string;
  userId: string | null;
  method: "password" | "google";
  success: boolean;
  reason: string | null;
};

export function recordAttempt(tx: Tx, attempt: AttemptRecord) {
  return tx.signInAttempt.create({ data: { id: newId("sia"), ...attempt } });
}

/** Failed attempts since `since` for this email or from this address, whichever is larger. */
export async function countRecentFailures(tx: Tx, email: string, ip: string, since: Date) {
  const [byEmail, byIp] = await Promise.all([
    tx.signInAttempt.count({ where: { email, success: false, createdAt: { gte: since } } }),
    tx.signInAttempt.count({ where: { ip, success: false, createdAt: { gte: since } } }),
  ]);
  return { byEmail, byIp };
}

export function oldestRecentFailure(tx: Tx, email: string, ip: string, since: Date) {
  return tx.signInAttempt.findFirst({
    where: { success: false, createdAt: { gte: since }, OR: [{ email }, { ip }] },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
}

export function listAttemptsForUser(tx: Tx, userId: string, take: number) {
  return tx.signInAttempt.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, ip: true, method: true, success: true, reason: true, createdAt: true },
  });
}

export function countAttemptsSince(tx: Tx, since: Date, success: boolean) {
  return tx.signInAttempt.count({ where: { success, createdAt: { gte: since } } });
}
