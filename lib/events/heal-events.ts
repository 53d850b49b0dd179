import { getConfig } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import * as events from "@/lib/events/events.repository";
import { getLogger } from "@/lib/logger";
import { getPipeline } from "@/lib/pipelines/catalog";
import { startRun } from "@/lib/pipelines/runner";

// Failed webhook events heal on their own. Every minute the maintenance tick claims the failed
// events whose next automatic retry is due (dispatch-event.ts sets it from the schedule in
// retry-schedule.ts, by the database's clock) and dispatches them again through the usual path:
// each dispatch keeps its id and so its run and work keys, so succeeded pipelines never run again.
// Each retry is one attempt: its failure is not thrown back for the driver's quick retries.
// An event out of retries is dead; the owner hears about dead events through notify.send, one
// message per tick for all that died since the last, with counts and a link but no payload.

const BATCH = 100;
const MAX_KINDS_LISTED = 10;

/** Claims the failed events due for an automatic retry; the caller dispatches them. */
export async function claimEventsToRetry(): Promise<{ eventId: string }[]> {
  const rows = await events.claimDueRetries(autocommit(), BATCH);
  if (rows.length > 0) getLogger({ component: "webhooks" }).info({ events: rows.map((r) => r.id) }, "retrying failed webhook events");
  return rows.map((r) => ({ eventId: r.id }));
}

export function describeDeadEvents(dead: { source: string; eventType: string | null }[], appUrl: string): { title: string; message: string } {
  const counts = new Map<string, number>();
  for (const event of dead) {
    const key = `${event.source}/${event.eventType ?? "untyped"}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key}: ${n}`);
  // The message stays short however many kinds of events died at once.
  if (parts.length > MAX_KINDS_LISTED) parts.splice(MAX_KINDS_LISTED, Infinity, `${parts.length - MAX_KINDS_LISTED} more kinds`);
  return {
    title: dead.length === 1 ? "1 webhook event needs a retry" : `${dead.length} webhook events need a retry`,
    message:
      `Their subscribed pipelines kept failing and automatic retries stopped (${parts.join(", ")}). ` +
      `Fix the cause, then retry: ${appUrl.replace(/\/+$/, "")}/events?status=dead`,
  };
}

/** Tells the owner about events that died since the last message; null when there were none. */
export async function notifyDeadEvents(): Promise<{ notified: number; runId: string } | null> {
  const config = getConfig();
  // Without a channel nothing is claimed: once one is configured, the dead events are announced.
  if (!config.NOTIFY_WEBHOOK_URL) return null;
  const dead = await events.claimUnnotifiedDead(autocommit());
  if (dead.length === 0) return null;
  const started = await startRun(getPipeline("notify.send"), { ...describeDeadEvents(dead, config.APP_URL), priority: "high" }, {
    trigger: "event",
    actor: { type: "system", label: "webhooks" },
    resolve: getPipeline,
  });
  const run = await started.completion;
  if (run.status !== "succeeded") getLogger({ component: "webhooks" }).warn({ runId: run.id, status: run.status }, "the dead events notification was not delivered");
  return { notified: dead.length, runId: run.id };
}
