import { cron } from "inngest";
import { getInngest } from "@/inngest/client";
import { gmailNotificationReceived, triageSyncRequested } from "@/inngest/events";
import { fromInngestStep, type Steps } from "@/inngest/step";
import { renewDueWatches } from "@/lib/email/watch";
import { pollMailboxes, processNotification } from "@/lib/triage/notifications";
import { executeSyncRun } from "@/lib/triage/sync";

// Email triage in the background, under either driver: a requested sync run, a push notification
// (which becomes an incremental sync), the daily watch renewal, and polling of mailboxes without
// working push. Runs are persisted before they are dispatched; a sync of a mailbox that is already
// syncing waits (RetryLater) rather than running beside it.

export async function triageSync({ event, step }: { event: { data: { runId: string } }; step: Steps }) {
  return step.run("sync-mailbox", () => executeSyncRun(event.data.runId));
}

export async function gmailNotification({ event, step }: { event: { data: { notificationId: string } }; step: Steps }) {
  return step.run("sync-from-notification", () => processNotification(event.data.notificationId));
}

export async function gmailWatchRenewal({ step }: { step: Steps }) {
  return step.run("renew-watches", () => renewDueWatches());
}

export async function gmailPoll({ step }: { step: Steps }) {
  return step.run("poll-mailboxes", () => pollMailboxes());
}

export const triageSyncFunction = getInngest().createFunction(
  { id: "triage-sync", name: "Triage: sync a mailbox", triggers: [triageSyncRequested], retries: 3 },
  ({ event, step }) => triageSync({ event, step: fromInngestStep(step) }),
);

export const gmailNotificationFunction = getInngest().createFunction(
  { id: "gmail-notification", name: "Gmail: sync after a push notification", triggers: [gmailNotificationReceived], retries: 5 },
  ({ event, step }) => gmailNotification({ event, step: fromInngestStep(step) }),
);

// Gmail stops pushing 7 days after the last users.watch call; Google recommends renewing daily.
export const gmailWatchRenewalFunction = getInngest().createFunction(
  { id: "gmail-watch-renewal", name: "Gmail: renew push watches", triggers: [cron("17 4 * * *")], concurrency: { limit: 1 } },
  ({ step }) => gmailWatchRenewal({ step: fromInngestStep(step) }),
);

export const gmailPollFunction = getInngest().createFunction(
  { id: "gmail-poll", name: "Gmail: poll mailboxes without push", triggers: [cron("* * * * *")], concurrency: { limit: 1 } },
  ({ step }) => gmailPoll({ step: fromInngestStep(step) }),
);
