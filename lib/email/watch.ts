import { getConfig, type Config } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { AppError, isAppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { gmailProviderFor, type EmailAccountDto, type GoogleOptions } from "./accounts";
import { findAccountById, listAccountsDueForWatch, updateWatch } from "./accounts.repository";

// Gmail push: users.watch on each connected inbox, publishing to GMAIL_PUBSUB_TOPIC. A watch lasts
// 7 days; Google asks for a renewal every day, so renewDueWatches (an hourly or daily cron) renews
// any watch older than 23 hours or expiring within 48. A failure is recorded on the account
// (watchError, shown on the dashboard through watchHealth) and retried at the next run.

const HOUR_MS = 3_600_000;
export const RENEW_AFTER_MS = 23 * HOUR_MS;
export const RENEW_BEFORE_EXPIRY_MS = 48 * HOUR_MS;
export const EXPIRING_WITHIN_MS = 24 * HOUR_MS;
export const WATCHED_LABELS = ["INBOX"];

export type RenewWatchOptions = { now?: Date; google?: GoogleOptions };

export type RenewWatchResult =
  | { status: "renewed"; accountId: string; expiration: Date }
  | { status: "failed"; accountId: string; error: string }
  | { status: "not_configured"; accountId: string };

export type RenewDueResult = { renewed: number; failed: number; skipped?: "not_configured" };

function failureMessage(error: unknown, topic?: string): string {
  // AppErrors from the Gmail provider are written for users and carry no token (gmail-errors.ts).
  const reason = isAppError(error) ? error.message : "an unexpected error (see the server log)";
  // Gmail answers 403 when it may not publish to the topic, the usual set-up mistake.
  const hint = isAppError(error) && error.code === "forbidden" && topic ? ` Check that gmail-api-push@system.gserviceaccount.com has the Pub/Sub Publisher role on ${topic}.` : "";
  return `Gmail push notifications could not be renewed: ${reason}${hint}`;
}

/**
 * Starts or renews the account's watch on its inbox. A Gmail failure is stored as watchError and
 * returned, never thrown; an unknown account id throws AppError "not_found".
 */
export async function renewWatch(accountId: string, options: RenewWatchOptions = {}): Promise<RenewWatchResult> {
  const topic = getConfig().GMAIL_PUBSUB_TOPIC;
  if (!topic) return { status: "not_configured", accountId };
  const log = getLogger({ component: "gmail-watch", accountId });
  const account = await findAccountById(autocommit(), accountId);
  if (!account) throw new AppError("not_found", `No email account ${accountId}`);

  let expiration: Date;
  try {
    const provider = await gmailProviderFor(accountId, { google: options.google });
    ({ expiresAt: expiration } = await provider.watch(topic, WATCHED_LABELS));
  } catch (error) {
    const message = failureMessage(error, topic);
    // Only AppErrors are safe to log whole; anything else may carry request headers.
    log.warn({ code: isAppError(error) ? error.code : "unexpected", reason: isAppError(error) ? error.message : error instanceof Error ? error.name : String(error) }, "Gmail watch renewal failed");
    await updateWatch(autocommit(), accountId, { watchError: message });
    return { status: "failed", accountId, error: message };
  }
  await updateWatch(autocommit(), accountId, { watchExpiration: expiration, watchRenewedAt: options.now ?? new Date(), watchError: null });
  log.info({ expiration: expiration.toISOString() }, "Gmail watch renewed");
  return { status: "renewed", accountId, expiration };
}

/** Renews every connected account's watch that is due; one account's failure does not stop the others. */
export async function renewDueWatches(options: { now?: Date; google?: GoogleOptions } = {}): Promise<RenewDueResult> {
  if (!getConfig().GMAIL_PUBSUB_TOPIC) return { renewed: 0, failed: 0, skipped: "not_configured" };
  const now = options.now ?? new Date();
  const due = await listAccountsDueForWatch(autocommit(), {
    renewedBefore: new Date(now.getTime() - RENEW_AFTER_MS),
    expiringBefore: new Date(now.getTime() + RENEW_BEFORE_EXPIRY_MS),
  });
  let renewed = 0;
  let failed = 0;
  for (const account of due) {
    const result = await renewWatch(account.id, { now, google: options.google }).catch((error: unknown) => {
      // Deleted between the listing and the renewal, say: counted, and the rest still run.
      getLogger({ component: "gmail-watch", accountId: account.id }).warn({ reason: failureMessage(error) }, "Gmail watch renewal failed");
      return { status: "failed" } as const;
    });
    if (result.status === "renewed") renewed++;
    else failed++;
  }
  if (due.length > 0) getLogger({ component: "gmail-watch" }).info({ renewed, failed }, "Gmail watches renewed");
  return { renewed, failed };
}

/**
 * Best effort, before disconnecting: asks Gmail to stop pushing for the account and forgets the
 * watch. Returns whether Gmail confirmed; never throws (the watch lapses within 7 days anyway).
 */
export async function stopWatch(accountId: string, options: { google?: GoogleOptions } = {}): Promise<boolean> {
  const log = getLogger({ component: "gmail-watch", accountId });
  try {
    const provider = await gmailProviderFor(accountId, { google: options.google, retries: 1 });
    await provider.stop();
  } catch (error) {
    log.warn({ reason: failureMessage(error) }, "Gmail did not confirm stopping push notifications");
    return false;
  }
  await updateWatch(autocommit(), accountId, { watchExpiration: null, watchError: null });
  log.info("Gmail watch stopped");
  return true;
}

// --- health, for the dashboard ----------------------------------------------------------------------

export type WatchState = "ok" | "not_configured" | "failing" | "lapsed" | "expiring" | "disconnected";

export type WatchHealth = { state: WatchState; message: string };

const at = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function pollingSentence(pollMinutes: number): string {
  if (pollMinutes === 0) return "mail is not checked automatically (GMAIL_POLL_MINUTES is 0)";
  return `mail is checked every ${pollMinutes === 1 ? "minute" : `${pollMinutes} minutes`} instead`;
}

/** The state of an account's push notifications, with a sentence for the dashboard. Pure. */
export function watchHealth(account: EmailAccountDto, now: Date, config: Pick<Config, "GMAIL_PUBSUB_TOPIC" | "GMAIL_POLL_MINUTES">): WatchHealth {
  if (account.status === "disconnected") {
    return { state: "disconnected", message: "This account is disconnected; connect it again to receive its mail." };
  }
  if (!config.GMAIL_PUBSUB_TOPIC) {
    return { state: "not_configured", message: `Push notifications are off (GMAIL_PUBSUB_TOPIC is not set); ${pollingSentence(config.GMAIL_POLL_MINUTES)}.` };
  }
  const polling = pollingSentence(config.GMAIL_POLL_MINUTES);
  const expiration = account.watchExpiration ? new Date(account.watchExpiration) : null;
  const lastError = account.watchError ? ` Last attempt: ${account.watchError}` : "";
  if (!expiration) {
    return { state: "lapsed", message: `Push notifications are not active for this inbox yet; ${polling} until the next renewal succeeds.${lastError}` };
  }
  if (expiration.getTime() <= now.getTime()) {
    return { state: "lapsed", message: `Push notifications lapsed at ${at(account.watchExpiration!)}; ${polling} until the next renewal succeeds.${lastError}` };
  }
  if (account.watchError) {
    return { state: "failing", message: `${account.watchError} Push notifications still work until ${at(account.watchExpiration!)}; the renewal is retried.` };
  }
  if (account.status === "error") {
    return { state: "failing", message: `The account needs attention (${account.lastError ?? "its authorization failed"}); push notifications stop at ${at(account.watchExpiration!)} unless it is connected again.` };
  }
  if (expiration.getTime() - now.getTime() <= EXPIRING_WITHIN_MS) {
    return { state: "expiring", message: `Push notifications expire at ${at(account.watchExpiration!)} and have not been renewed yet.` };
  }
  return { state: "ok", message: `Push notifications are active until ${at(account.watchExpiration!)}.` };
}
