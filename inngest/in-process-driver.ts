import type { BackgroundEvent } from "@/inngest/events";
import { scheduleRun } from "@/inngest/functions/schedule-run";
import { maintenanceTick } from "@/inngest/functions/maintenance-tick";
import { scheduleTick } from "@/inngest/functions/schedule-tick";
import { gmailNotification, gmailPoll, gmailWatchRenewal, triageSync } from "@/inngest/functions/triage-sync";
import { webhookDispatch } from "@/inngest/functions/webhook-dispatch";
import type { Steps } from "@/inngest/step";
import { RetryLater } from "@/lib/background/retry-later";
import { getConfig } from "@/lib/config";
import { getLogger } from "@/lib/logger";
import { claimAndStartSlotRound } from "@/lib/schedules/claim-due-slots";
import { startSlotBatch, type StartedSlot } from "@/lib/schedules/start-slot-batch";

// The embedded default: no Inngest server. It calls the very same handlers Inngest would — the
// tick every minute, a run per dispatched event — with retries and bounded concurrency, and at
// start (and every tick) re-dispatches work that was persisted but never finished.
//
// Each kind of event has a lane of its own (BACKGROUND_CONCURRENCY handlers at once), so a burst
// of one — ten thousand webhook deliveries, say — never queues the others behind it. Due schedule
// slots are started in batches instead (lib/schedules/start-slot-batch.ts, one transaction per
// batch), up to SCHEDULE_CONCURRENCY runs at once; a slot the batch leaves (one that must wait for
// or be skipped after an earlier run of its schedule) goes to the one-slot lane. The tick's claim
// rounds start as many of their slots as there is room for themselves, in the claim's transaction.

const MAX_ATTEMPTS = 4;
const BACKOFF_MS = [1_000, 5_000, 30_000];

type Job = { event: BackgroundEvent; attempt: number };
type LaneName = "slot" | "webhook" | "gmail" | "triage";
type Lane = { queue: Job[]; running: number };
/**
 * Slots waiting for a batch start; pipelines of started slots still running (or reserved by the
 * start in flight): at most SCHEDULE_CONCURRENCY; slots whose run ended but which are not closed yet.
 */
type SlotLane = { queue: string[]; running: number; closing: number; starting: number };

type DriverState = {
  lanes: Record<LaneName, Lane>;
  slots: SlotLane;
  ticker?: NodeJS.Timeout;
  aligner?: NodeJS.Timeout;
  /** The minute tick the ticker started, while it runs (its claim holds a transaction open). */
  ticking?: Promise<void>;
  inflight: Set<string>;
};

const state = globalThis as unknown as { __paDriverLanes?: DriverState };

function driver(): DriverState {
  state.__paDriverLanes ??= {
    lanes: { slot: { queue: [], running: 0 }, webhook: { queue: [], running: 0 }, gmail: { queue: [], running: 0 }, triage: { queue: [], running: 0 } },
    slots: { queue: [], running: 0, closing: 0, starting: 0 },
    inflight: new Set(),
  };
  return state.__paDriverLanes;
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

function laneOf(event: BackgroundEvent): LaneName {
  switch (event.name) {
    case "schedule/slot.due":
      return "slot";
    case "webhook/event.received":
      return "webhook";
    case "gmail/notification.received":
      return "gmail";
    case "triage/sync.requested":
      return "triage";
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
  const limit = getConfig().BACKGROUND_CONCURRENCY;
  for (const lane of Object.values(d.lanes)) {
    while (lane.running < limit && lane.queue.length > 0) {
      const job = lane.queue.shift()!;
      lane.running++;
      void handle(job.event)
        .catch((error) => retry(job, error))
        .finally(() => {
          lane.running--;
          d.inflight.delete(keyOf(job.event));
          pump();
        });
    }
  }
  pumpSlots();
}

/** Two batch starts in flight at most (one commits while the next locks), each of as many slots as there is room for. */
const MAX_STARTS = 2;

function pumpSlots(): void {
  const d = driver();
  const s = d.slots;
  const limit = getConfig().SCHEDULE_CONCURRENCY;
  const free = limit - s.running;
  // Room for a quarter of the limit at least, so a busy lane starts few large batches, not many small ones.
  if (s.starting >= MAX_STARTS || s.queue.length === 0 || free < Math.min(s.queue.length, Math.ceil(limit / 4))) return;
  const slotIds = s.queue.splice(0, s.starting === 0 && free >= limit / 2 ? Math.ceil(free / 2) : free);
  s.starting++;
  s.running += slotIds.length;
  const toOneSlotLane = (ids: string[]) => {
    for (const slotId of ids) d.lanes.slot.queue.push({ event: { name: "schedule/slot.due", data: { slotId } }, attempt: 1 });
  };
  startSlotBatch(slotIds)
    .then(({ started, rest }) => {
      s.running -= slotIds.length - started.length;
      toOneSlotLane(rest);
      trackStarted(started);
    })
    .catch((error: unknown) => {
      // Nothing of it committed: the one-slot lane takes these, with its retries.
      log().warn({ err: error, count: slotIds.length }, "could not start a batch of schedule slots; running them one by one");
      s.running -= slotIds.length;
      toOneSlotLane(slotIds);
    })
    .finally(() => {
      s.starting--;
      pump();
    });
}

/** Slots started (counted in `running` already) until their pipelines end and their slots close. */
function trackStarted(started: StartedSlot[]): void {
  const d = driver();
  const s = d.slots;
  s.closing += started.length;
  for (const slot of started) {
    d.inflight.add(`slot:${slot.slotId}`);
    // A finished pipeline makes room once its end is written (start-slot-batch.ts): freeing it when
    // the pipeline returns let the ends' writes pile up against the claims, and slowed the burst.
    void slot.ran.finally(() => {
      s.running--;
      pump();
    });
    void slot.done.finally(() => {
      s.closing--;
      d.inflight.delete(`slot:${slot.slotId}`);
    });
  }
}

/**
 * Claim loops a tick runs at once in this process. They split the due schedules as two instances
 * ticking together would (each round locks its schedules, SKIP LOCKED), so one round's statements
 * run while the other's runs start and end: one instance's burst is no longer one claim after another.
 */
const CLAIMERS = 2;
/** How long a claim round waits for its share of the room (the previous rounds' runs ending) before it claims without it. */
const ROOM_WAIT_MS = 1_000;

/** A tick's claim round that starts what it has room for (claim-due-slots.ts); the rest is dispatched. */
async function claimRound(at?: string): Promise<{ at: string; slotIds: string[]; more: boolean }> {
  const s = driver().slots;
  const share = Math.ceil(getConfig().SCHEDULE_CONCURRENCY / CLAIMERS);
  const free = () => getConfig().SCHEDULE_CONCURRENCY - s.running;
  const deadline = Date.now() + ROOM_WAIT_MS;
  while (free() < share && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  // Room is reserved while the claim runs, so batch starts and the other claim loop do not take it too.
  const room = Math.max(0, Math.min(share, free()));
  s.running += room;
  try {
    const round = await claimAndStartSlotRound(at, room);
    s.running -= room - round.started.length;
    trackStarted(round.started);
    return { at: round.at, slotIds: round.slotIds, more: round.more };
  } catch (error) {
    s.running -= room;
    throw error;
  } finally {
    pump();
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
  // A slot's first delivery goes to a batch start; a retry (it waited for an earlier run) runs on its own.
  if (job.event.name === "schedule/slot.due" && job.attempt === 1) d.slots.queue.push(job.event.data.slotId);
  else d.lanes[laneOf(job.event)].queue.push(job);
  pump();
}

export function enqueue(events: BackgroundEvent[]): void {
  for (const event of events) push({ event, attempt: 1 });
}

function busy(): boolean {
  const d = driver();
  if (d.ticking) return true;
  if (d.slots.running > 0 || d.slots.closing > 0 || d.slots.queue.length > 0 || d.slots.starting > 0) return true;
  return Object.values(d.lanes).some((lane) => lane.running > 0 || lane.queue.length > 0);
}

/** Waits until nothing is queued or running (tests and benchmarks). */
export async function drain(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (busy()) {
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
  await Promise.all(Array.from({ length: CLAIMERS }, () => scheduleTick({ step: steps, claimRound })));
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
  const runTick = () => {
    if (d.ticking) return; // a tick that takes longer than a minute is not stacked with the next
    d.ticking = tick()
      .catch((err: unknown) => log().error({ err }, "schedule tick failed"))
      .finally(() => (d.ticking = undefined));
  };
  runTick();
  d.aligner = setTimeout(() => {
    runTick();
    d.ticker = setInterval(runTick, 60_000);
    d.ticker.unref();
  }, 60_000 - (Date.now() % 60_000) + 50);
  d.aligner.unref();
}

/** Stops the ticker; resolves once a tick it started has finished (its transaction closed). */
export async function stopInProcessDriver(): Promise<void> {
  const d = driver();
  clearTimeout(d.aligner);
  clearInterval(d.ticker);
  d.aligner = undefined;
  d.ticker = undefined;
  await d.ticking;
}
