import { getConfig } from "@/lib/config";
import { withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { decoyHash, verifyPassword } from "@/lib/auth/password";
import * as attempts from "@/lib/auth/sign-in-attempts.repository";
import * as users from "@/lib/users/repository";

// Email + password sign-in. Every attempt is recorded; failures are rate limited per email and
// per address (the address limit is wider, so a household behind one NAT is not locked out).

export const INVALID_CREDENTIALS = "The email or password is not correct.";
const IP_LIMIT_FACTOR = 4;

export type SignedInUser = { id: string; email: string; name: string | null; role: string; sessionVersion: number };

async function assertNotRateLimited(email: string, ip: string): Promise<void> {
  const { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MINUTES } = getConfig();
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MINUTES * 60_000);
  const limited = await withTransaction(async (tx) => {
    const failures = await attempts.countRecentFailures(tx, email, ip, since);
    const exceeded = [
      { who: { email }, count: failures.byEmail, max: SIGN_IN_MAX_FAILURES },
      { who: { ip }, count: failures.byIp, max: SIGN_IN_MAX_FAILURES * IP_LIMIT_FACTOR },
    ].filter((limit) => limit.count >= limit.max);
    if (exceeded.length === 0) return null;
    // Each lock lifts once enough of its own failures leave the window to bring the count under its limit.
    const lifts = await Promise.all(
      exceeded.map((limit) => attempts.recentFailureAt(tx, limit.who, since, limit.count - limit.max)),
    );
    await attempts.recordAttempt(tx, { email, ip, userId: null, method: "password", success: false, reason: "rate_limited" });
    return new Date(Math.max(...lifts.map((lift) => lift?.createdAt.getTime() ?? Date.now())));
  });
  if (limited) {
    const retryAt = limited.getTime() + SIGN_IN_WINDOW_MINUTES * 60_000;
    const minutes = Math.max(1, Math.ceil((retryAt - Date.now()) / 60_000));
    throw new AppError(
      "rate_limited",
      `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      { retryAfterSeconds: minutes * 60 },
    );
  }
}

export async function signInWithPassword(rawEmail: string, password: string, ip: string): Promise<SignedInUser> {
  const email = users.normalizeEmail(rawEmail);
  await assertNotRateLimited(email, ip);

  const account = await withTransaction((tx) => users.findCredentialsByEmail(tx, email));
  // Verify against a decoy when there is no account, so the response time does not reveal which emails exist.
  const valid = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
  const failure = !account || !account.passwordHash || !valid ? "bad_credentials" : account.disabledAt ? "disabled" : null;

  await withTransaction(async (tx) => {
    await attempts.recordAttempt(tx, {
      email,
      ip,
      userId: account?.id ?? null,
      method: "password",
      success: failure === null,
      reason: failure,
    });
    if (failure === null && account) await users.updateUser(tx, account.id, { lastSignInAt: new Date() });
  });

  const log = getLogger({ component: "auth" });
  if (failure === "disabled") {
    log.warn({ userId: account?.id }, "sign-in refused: account disabled");
    throw new AppError("forbidden", "This account is disabled. Ask the owner to enable it.");
  }
  if (failure || !account) {
    log.info({ email }, "sign-in failed");
    throw new AppError("unauthorized", INVALID_CREDENTIALS);
  }
  log.info({ userId: account.id }, "signed in");
  return {
    id: account.id,
    email: account.email,
    name: account.name,
    role: account.role,
    sessionVersion: account.sessionVersion,
  };
}

/** Google sign-in is for existing, enabled accounts only: it never creates one. */
export async function signInWithGoogle(rawEmail: string, emailVerified: boolean, ip: string): Promise<SignedInUser | null> {
  const email = users.normalizeEmail(rawEmail);
  const account = await withTransaction((tx) => users.findUserByEmail(tx, email));
  const ok = Boolean(account && !account.disabledAt && emailVerified);
  await withTransaction(async (tx) => {
    await attempts.recordAttempt(tx, {
      email,
      ip,
      userId: account?.id ?? null,
      method: "google",
      success: ok,
      reason: ok ? null : !account ? "no_account" : account.disabledAt ? "disabled" : "email_not_verified",
    });
    if (ok && account) await users.updateUser(tx, account.id, { lastSignInAt: new Date() });
  });
  return ok && account
    ? { id: account.id, email: account.email, name: account.name, role: account.role, sessionVersion: account.sessionVersion }
    : null;
}
