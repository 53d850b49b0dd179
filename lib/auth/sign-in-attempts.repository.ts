import type { Prisma } from "@/generated/prisma/client";
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

// A refused attempt while locked checked no password, so it is no guess and does not extend the
// lock: otherwise a user retrying while locked would stay locked past the time they were told.
const countedFailure = {
  success: false,
  OR: [{ reason: null }, { reason: { not: "rate_limited" } }],
} satisfies Prisma.SignInAttemptWhereInput;

/** Failed attempts since `since` for this email and from this address, counted separately. */
export async function countRecentFailures(tx: Tx, email: string, ip: string, since: Date) {
  const [byEmail, byIp] = await Promise.all([
    tx.signInAttempt.count({ where: { ...countedFailure, email, createdAt: { gte: since } } }),
    tx.signInAttempt.count({ where: { ...countedFailure, ip, createdAt: { gte: since } } }),
  ]);
  return { byEmail, byIp };
}

/** The time of the counted failure for this email or address that is `skip` places after the oldest one since `since`. */
export function recentFailureAt(tx: Tx, who: { email: string } | { ip: string }, since: Date, skip: number) {
  return tx.signInAttempt.findFirst({
    where: { ...countedFailure, ...who, createdAt: { gte: since } },
    orderBy: { createdAt: "asc" },
    skip,
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
