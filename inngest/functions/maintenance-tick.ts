import { cron } from "inngest";
import { getInngest } from "@/inngest/client";
import type { BackgroundEvent } from "@/inngest/events";
import { fromInngestStep, type Steps } from "@/inngest/step";
import { resumeApprovedApprovals } from "@/lib/approvals/decide-approval";
import { notifyPendingApprovals } from "@/lib/approvals/notify-owner";
import { claimEventsToRetry, notifyDeadEvents } from "@/lib/events/heal-events";
import { findEventsToRedispatch } from "@/lib/events/pending-events";
import { watchAgents } from "@/lib/agents/watch";
import { expireLeases } from "@/lib/jobs/expire-leases";
import { startMissingResultHandlers } from "@/lib/jobs/result-handler";
import { findSlotsToRedispatch } from "@/lib/schedules/pending-slots";
import { findNotificationsToRedispatch } from "@/lib/triage/notifications";
import { findSyncRunsToRedispatch } from "@/lib/triage/sync-runs";

// Every minute, under either driver: re-send work that was persisted but never finished (a slot,
// webhook event, triage sync run or Gmail notification whose delivery was lost, e.g. the process died or Inngest was unreachable),
// retry failed webhook events whose next automatic retry is due and tell the owner about dead ones,
// return expired agent-job leases to the queue, warn the owner about agents that stopped working, and finish the agent loop's leftovers. The handlers are idempotent, so a re-send of
// something already in progress runs it once.
export async function maintenanceTick({ step }: { step: Steps }) {
  const pending = (await step.run("find-pending-work", async () => {
    const [slots, unfinished, retries, runs, notifications] = await Promise.all([
      findSlotsToRedispatch(),
      findEventsToRedispatch(),
      claimEventsToRetry(),
      findSyncRunsToRedispatch(),
      findNotificationsToRedispatch(),
    ]);
    // A retry just claimed is unfinished too: the sweep may have found it as well.
    const eventIds = new Set([...unfinished, ...retries].map((e) => e.eventId));
    return [
      ...slots.map((s) => ({ name: "schedule/slot.due" as const, data: { slotId: s.slotId } })),
      ...[...eventIds].map((eventId) => ({ name: "webhook/event.received" as const, data: { eventId } })),
      ...runs.map((r) => ({ name: "triage/sync.requested" as const, data: { runId: r.runId } })),
      ...notifications.map((n) => ({ name: "gmail/notification.received" as const, data: { notificationId: n.notificationId } })),
    ];
  })) as BackgroundEvent[];
  if (pending.length > 0) await step.sendEvent("redispatch-pending-work", pending);
  const expired = await step.run("expire-job-leases", () => expireLeases());
  const agents = await step.run("watch-agents", () => watchAgents());
  // Work of the agent loop a dead process left behind: result handlers never started, approved
  // runs never started, and new approvals whose batched notification timer was lost.
  const loop = (await step.run("agent-loop-leftovers", async () => ({
    resultHandlers: await startMissingResultHandlers(),
    approvedRuns: await resumeApprovedApprovals(),
    notified: (await notifyPendingApprovals())?.notified ?? 0,
  }))) as Record<string, number>;
  const deadEvents = await step.run("notify-dead-events", async () => (await notifyDeadEvents())?.notified ?? 0);
  return { redispatched: pending.length, expired, agents, ...loop, deadEventsNotified: deadEvents };
}

export const maintenanceTickFunction = getInngest().createFunction(
  { id: "maintenance-tick", name: "Maintenance: re-dispatch and lease expiry", triggers: [cron("* * * * *")], concurrency: { limit: 1 } },
  ({ step }) => maintenanceTick({ step: fromInngestStep(step) }),
);
