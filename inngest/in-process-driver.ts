import type { BackgroundEvent } from "@/inngest/events";
import { scheduleRun } from "@/inngest/functions/schedule-run";
import { maintenanceTick } from "@/inngest/functions/maintenance-tick";
import { scheduleTick } from "@/inngest/functions/schedule-tick";
import { gmailNotification, gmailPoll, gmailWatchRenewal, triageSync } from "@/inngest/functions/triage-sync";
import { webhookDispatch } from "@/inngest/functions/webhook-dispatch";
import type { Steps } from "@/inngest/step";
import { RetryLater } from "@/lib/background/retry-later";
import { getLogger } from "@/lib/logger";

// The embedded default: no Inngest server. It calls the very same handlers Inngest would — the
// tick every minute, a run per dispatched event — with retries and bounded concurrency, and at
// start (and every tick) re-dispatches work that was persisted but never finished.

const MAX_ATTEMPTS = 4;
const BACKOFF_MS = [1_000, 5_000, 30_000];
const CONCURRENCY = 16;

type Job = { event: BackgroundEvent; attempt: number };

const state = globalThis as unknown as {
  __paDriver?: { queue: Job[]; running: number; ticker?: NodeJS.Timeout; aligner?: NodeJS.Timeout; inflight: Set<string> };
};

function driver() {
  state.__paDriver ??= { queue: [], running: 0, inflight: new Set() };
  return state.__paDriver;
}

const log = () => getLogger({ component: "in-process-driver" });

function keyOf(event: BackgroundEvent): string {
  switch (event.name) {
    case "schedule/slot.due":
      return `slot:${event.data.slotId}`;
    case "webhook/event.received":
      return `event:${event.data.eventId}`;
    case "gmail/notification.received":
      return `gmail:${event.data.notificationId}`;
    case "triage/sync.requested":
      return `sync:${event.data.runId}`;
  }
}

const steps: Steps = {
  run: (_id, fn) => fn(),
  sendEvent: async (_id, events) => {
    enqueue(events);
    return { ids: [] };
  },
};

function handle(event: BackgroundEvent): Promise<unknown> {
  switch (event.name) {
    case "schedule/slot.due":
      return scheduleRun({ event, step: steps });
    case "webhook/event.received":
      return webhookDispatch({ event, step: steps });
    case "gmail/notification.received":
      return gmailNotification({ event, step: steps });
    case "triage/sync.requested":
      return triageSync({ event, step: steps });
  }
}

function pump(): void {
  const d = driver();
  while (d.running < CONCURRENCY && d.queue.length > 0) {
    const job = d.queue.shift()!;
    d.running++;
    void handle(job.event)
      .catch((error) => retry(job, error))
      .finally(() => {
        d.running--;
        d.inflight.delete(keyOf(job.event));
        pump();
      });
  }
}

function retry(job: Job, error: unknown): void {
  const delay = error instanceof RetryLater ? error.retryAfterMs : BACKOFF_MS[job.attempt - 1];
  if (delay === undefined || job.attempt >= MAX_ATTEMPTS) {
    // The record stays unfinished; the sweep re-dispatches it later.
    log().error({ err: error, event: job.event, attempts: job.attempt }, "background work failed; will be re-dispatched");
    return;
  }
  log().warn({ err: error instanceof RetryLater ? undefined : error, event: job.event, attempt: job.attempt, retryInMs: delay }, "retrying background work");
  setTimeout(() => push({ event: job.event, attempt: job.attempt + 1 }), delay).unref();
}

function push(job: Job): void {
  const d = driver();
  const key = keyOf(job.event);
  if (job.attempt === 1 && d.inflight.has(key)) return; // already queued or running here
  d.inflight.add(key);
  d.queue.push(job);
  pump();
}

export function enqueue(events: BackgroundEvent[]): void {
  for (const event of events) push({ event, attempt: 1 });
}

/** Waits until nothing is queued or running (tests and benchmarks). */
export async function drain(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (driver().running > 0 || driver().queue.length > 0) {
    if (Date.now() > deadline) throw new Error("in-process driver did not drain in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Re-sends persisted-but-unfinished work (and expires job leases); returns how much was re-sent. */
export async function redispatchPending(): Promise<number> {
  const { redispatched } = await maintenanceTick({ step: steps });
  return redispatched;
}

export async function tick(): Promise<void> {
  await scheduleTick({ step: steps });
  await maintenanceTick({ step: steps });
  // Both only act when due (a watch renewed over 23 hours ago, a mailbox not synced for
  // GMAIL_POLL_MINUTES), so running them every minute is cheap.
  await gmailWatchRenewal({ step: steps }).catch((err: unknown) => log().error({ err }, "Gmail watch renewal failed"));
  await gmailPoll({ step: steps }).catch((err: unknown) => log().error({ err }, "Gmail polling failed"));
}

/** Starts the minute ticker (aligned to the start of each minute) after re-dispatching pending work. */
export async function startInProcessDriver(): Promise<void> {
  const d = driver();
  if (d.ticker || d.aligner) return;
  const count = await redispatchPending();
  if (count > 0) log().info({ count }, "re-dispatched work persisted before the last stop");
  const runTick = () => void tick().catch((err) => log().error({ err }, "schedule tick failed"));
  runTick();
  d.aligner = setTimeout(() => {
    runTick();
    d.ticker = setInterval(runTick, 60_000);
    d.ticker.unref();
  }, 60_000 - (Date.now() % 60_000) + 50);
  d.aligner.unref();
}

export function stopInProcessDriver(): void {
  const d = driver();
  clearTimeout(d.aligner);
  clearInterval(d.ticker);
  d.aligner = undefined;
  d.ticker = undefined;
}
