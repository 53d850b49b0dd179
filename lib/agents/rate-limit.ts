import { getConfig } from "@/lib/config";
import { withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import * as audit from "@/lib/agents/audit.repository";

// Failed token requests are rate limited per address and, four times narrower, per client id, over a
// 15-minute window counted from the audit trail (so the limit holds across app instances). The
// client id is public, so tokens.ts checks its limit only for wrong secrets: it cannot be used to
// lock an agent out.

export const TOKEN_RATE_WINDOW_MINUTES = 15;
const IP_LIMIT_FACTOR = 4;

export async function assertTokenRequestAllowed(who: { clientId?: string; ip: string }, requestId: string): Promise<void> {
  const max = getConfig().AGENT_TOKEN_RATE_LIMIT;
  const windowMs = TOKEN_RATE_WINDOW_MINUTES * 60_000;
  const since = new Date(Date.now() - windowMs);
  const limits = [
    ...(who.clientId ? [{ who: { target: who.clientId }, max }] : []),
    { who: { ip: who.ip }, max: max * IP_LIMIT_FACTOR },
  ];
  const liftsAt = await withTransaction(async (tx) => {
    const counted = await Promise.all(limits.map(async (l) => ({ ...l, count: await audit.countFailures(tx, l.who, since) })));
    const exceeded = counted.filter((l) => l.count >= l.max);
    if (exceeded.length === 0) return null;
    // Each limit lifts once enough of its own failures leave the window to bring it under the limit.
    const oldest = await Promise.all(exceeded.map((l) => audit.failureAt(tx, l.who, since, l.count - l.max)));
    await audit.recordAudit(tx, {
      action: "token.rate_limited",
      target: who.clientId ?? null,
      allowed: false,
      ip: who.ip,
      requestId,
    });
    return Math.max(...oldest.map((row) => (row?.createdAt.getTime() ?? Date.now()) + windowMs));
  });
  if (liftsAt !== null) {
    const seconds = Math.max(1, Math.ceil((liftsAt - Date.now()) / 1000));
    throw new AppError("rate_limited", `Too many failed token requests. Try again in ${Math.ceil(seconds / 60)} min.`, {
      retryAfterSeconds: seconds,
    });
  }
}
