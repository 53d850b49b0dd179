import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BackgroundEvent } from "@/inngest/events";
import { drain, redispatchPending } from "@/inngest/in-process-driver";
import { maintenanceTick } from "@/inngest/functions/maintenance-tick";
import type { Steps } from "@/inngest/step";
import { autocommit } from "@/lib/db/transaction";
import { DispatchFailedError, dispatchWebhookEvent } from "@/lib/events/dispatch-event";
import { claimEventsToRetry, notifyDeadEvents } from "@/lib/events/heal-events";
import { listWebhookEvents, listEventsQuery } from "@/lib/events/list-events";
import { updateWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { retryWebhookEvent } from "@/lib/events/retry-event";
import { RETRY_DELAYS_SECONDS } from "@/lib/events/retry-schedule";
import { eventRuns, findEvent, makeSource, receive, subscribe } from "@/lib/events/test-kit";
import { configureLogging } from "@/lib/logger";
import { getOverview } from "@/lib/overview/get-overview";
import { startFakeNotifyWebhook, type FakeNotifyWebhook } from "@/tests/fakes/notify-webhook";
import { envForFile, withEnv } from "@/tests/setup/config-env";

// Failed webhook events heal on their own, against a real database and the real pipelines: the
// maintenance tick retries them on a schedule kept by the database's clock, re-running only the
// failed pipelines; out of retries they are dead, the owner is told once (through notify.send to a
// webhook on 127.0.0.1), the Overview counts them, and a manual retry still works.

// Retries from the API go to the background; here nothing runs behind the test's back.
vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async () => {} }));

let webhook: FakeNotifyWebhook;
envForFile(async () => {
  webhook = await startFakeNotifyWebhook();
  return { NOTIFY_WEBHOOK_URL: webhook.url, APP_URL: "https://automations.example.test" };
});
beforeAll(() => configureLogging({ level: "silent" }));
afterAll(() => webhook?.close());

let secret: string;
beforeAll(async () => {
  secret = (await makeSource("shop")).secret;
});

/** A delivery whose context.read subscription fails (the path escapes the hub) next to an echo that succeeds. */
async function failingEvent(eventType: string): Promise<{ eventId: string; readerId: string }> {
  await subscribe("shop", eventType, "system.echo", { message: "$.file" });
  const reader = await subscribe("shop", eventType, "context.read", { path: "$.file", tier: "full" });
  const res = await receive("shop", { secret, eventType, body: JSON.stringify({ type: eventType, file: "../../etc/passwd" }) });
  if (res.status !== 202) throw new Error(`the delivery was refused: ${JSON.stringify(res.body)}`);
  return { eventId: res.body.eventId, readerId: reader.id };
}

/** A first delivery that fails: thrown, so that the driver retries it a few times at once. */
async function dispatchFailing(eventId: string): Promise<void> {
  await expect(dispatchWebhookEvent(eventId)).rejects.toBeInstanceOf(DispatchFailedError);
}

/** An automatic retry that fails: recorded on the event but not thrown, so the driver does not retry it too. */
async function retryFailing(eventId: string): Promise<void> {
  expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 1, failed: 1, skipped: 0 });
}

/** Seconds from the database's now until the event's next automatic retry. */
async function secondsUntilRetry(eventId: string): Promise<number | null> {
  const [row] = await autocommit().$queryRaw<{ s: number | null }[]>`
    SELECT EXTRACT(EPOCH FROM next_attempt_at - (now() AT TIME ZONE 'UTC'))::float8 AS s FROM webhook_events WHERE id = ${eventId}`;
  return row?.s ?? null;
}

/** Moves the event's next retry to one second ago by the database's clock, as if the wait had passed. */
async function makeDue(eventId: string): Promise<void> {
  await autocommit().$executeRaw`
    UPDATE webhook_events SET next_attempt_at = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = ${eventId}`;
}

/** The maintenance tick with its steps run directly; what it hands to the background is kept. */
function tickSteps(sent: BackgroundEvent[]): Steps {
  return { run: (_id, fn) => fn(), sendEvent: async (_id, events) => void sent.push(...events) };
}

const retriesSent = (sent: BackgroundEvent[], eventId: string) =>
  sent.filter((e) => e.name === "webhook/event.received" && e.data.eventId === eventId).length;
const runsOf = async (eventId: string, pipeline: string) => (await eventRuns(eventId)).filter((r) => r.pipeline === pipeline);
const notifications = () => webhook.received as Array<{ title: string; message: string; priority: string }>;

describe("failed webhook events heal on their own", () => {
  it("schedules the retry by the database's clock, and heals the event once the pipeline is fixed", async () => {
    const { eventId, readerId } = await failingEvent("file.changed");

    // This server's clock is a day ahead: the retry is still due a minute from the database's now.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 24 * 3_600_000);
      await dispatchFailing(eventId);
    } finally {
      vi.useRealTimers();
    }
    expect(await findEvent(eventId)).toMatchObject({ status: "failed", autoRetries: 0 });
    const wait = (await secondsUntilRetry(eventId))!;
    expect(wait).toBeGreaterThan(RETRY_DELAYS_SECONDS[0]! - 10);
    expect(wait).toBeLessThanOrEqual(RETRY_DELAYS_SECONDS[0]!);

    // Not due yet: the tick leaves it alone.
    expect((await claimEventsToRetry()).map((e) => e.eventId)).not.toContain(eventId);

    await makeDue(eventId);
    const sent: BackgroundEvent[] = [];
    await maintenanceTick({ step: tickSteps(sent) });
    expect(retriesSent(sent, eventId)).toBe(1);
    expect(await findEvent(eventId)).toMatchObject({ status: "dispatched", autoRetries: 1, nextAttemptAt: null });
    await retryFailing(eventId);
    expect(await findEvent(eventId)).toMatchObject({ status: "failed", autoRetries: 1 });
    expect(await secondsUntilRetry(eventId)).toBeGreaterThan(RETRY_DELAYS_SECONDS[1]! - 10);

    // The owner fixes the subscription; the next automatic retry runs only the failed pipeline.
    await updateWebhookSubscription(readerId, { inputTemplate: { path: "", tier: "abstracts" } });
    await makeDue(eventId);
    expect(await claimEventsToRetry()).toEqual([{ eventId }]);
    expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 2, failed: 0, skipped: 0 });
    const event = await findEvent(eventId);
    expect(event).toMatchObject({ status: "processed", attempts: 3, autoRetries: 2, nextAttemptAt: null, error: null });
    expect(await runsOf(eventId, "system.echo")).toHaveLength(1);
    expect((await runsOf(eventId, "context.read")).map((r) => r.status)).toEqual(["failed", "failed", "succeeded"]);
  });

  it("retries a due event once when two maintenance ticks run at the same moment", async () => {
    const { eventId, readerId } = await failingEvent("order.paid");
    await dispatchFailing(eventId);
    await updateWebhookSubscription(readerId, { inputTemplate: { path: "", tier: "abstracts" } });
    await makeDue(eventId);

    const first: BackgroundEvent[] = [];
    const second: BackgroundEvent[] = [];
    await Promise.all([maintenanceTick({ step: tickSteps(first) }), maintenanceTick({ step: tickSteps(second) })]);
    expect(retriesSent(first, eventId) + retriesSent(second, eventId)).toBe(1);
    expect(await findEvent(eventId)).toMatchObject({ autoRetries: 1 });

    // Whatever was handed over is delivered (twice, at-least-once): the fixed pipeline runs once.
    await Promise.all([dispatchWebhookEvent(eventId), dispatchWebhookEvent(eventId)]);
    expect(await findEvent(eventId)).toMatchObject({ status: "processed", autoRetries: 1 });
    expect((await runsOf(eventId, "context.read")).map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect(await runsOf(eventId, "system.echo")).toHaveLength(1);
  });

  it("follows the whole schedule, then is dead, tells the owner once, and a manual retry still works", async () => {
    const { eventId, readerId } = await failingEvent("invoice.sent");
    const notifiedBefore = notifications().length;

    for (const [i, delay] of RETRY_DELAYS_SECONDS.entries()) {
      await (i === 0 ? dispatchFailing(eventId) : retryFailing(eventId));
      expect(await findEvent(eventId)).toMatchObject({ status: "failed", autoRetries: i });
      const wait = (await secondsUntilRetry(eventId))!;
      expect(wait).toBeGreaterThan(delay - 10);
      expect(wait).toBeLessThanOrEqual(delay);
      await makeDue(eventId);
      expect((await claimEventsToRetry()).map((e) => e.eventId)).toContain(eventId);
    }
    // The retry after the last wait fails too: dead, and not handed back to the driver.
    expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 1, failed: 1, skipped: 0 });
    const dead = await findEvent(eventId);
    expect(dead).toMatchObject({ status: "dead", autoRetries: RETRY_DELAYS_SECONDS.length, nextAttemptAt: null, deadNotifiedAt: null });
    expect(dead.deadAt).not.toBeNull();
    expect(await secondsUntilRetry(eventId)).toBeNull();
    const readsWhenDead = (await runsOf(eventId, "context.read")).length;
    expect(readsWhenDead).toBe(RETRY_DELAYS_SECONDS.length + 1);

    // Delivered again (a late driver retry): nothing runs, and no tick picks it up.
    await dispatchWebhookEvent(eventId);
    expect(await runsOf(eventId, "context.read")).toHaveLength(readsWhenDead);
    expect((await claimEventsToRetry()).map((e) => e.eventId)).not.toContain(eventId);

    // Listed under its own status, as the Events page, the API and the CLI filter it.
    const listed = await listWebhookEvents(listEventsQuery.parse({ status: "dead" }));
    expect(listed.events.map((e) => e.id)).toContain(eventId);
    expect(listed.events.find((e) => e.id === eventId)).toMatchObject({ status: "dead", autoRetries: RETRY_DELAYS_SECONDS.length });

    // Two ticks at once: one notification, with counts and a link but nothing from the payload.
    await Promise.all([maintenanceTick({ step: tickSteps([]) }), maintenanceTick({ step: tickSteps([]) })]);
    const sent = notifications().slice(notifiedBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      title: "1 webhook event needs a retry",
      priority: "high",
      message: expect.stringContaining("(shop/invoice.sent: 1)"),
    });
    expect(sent[0]!.message).toContain("https://automations.example.test/events?status=dead");
    expect(JSON.stringify(sent[0])).not.toContain("passwd");
    const notifyRuns = await autocommit().pipelineRun.findMany({ where: { pipeline: "notify.send", actorLabel: "webhooks" } });
    expect(notifyRuns.map((r) => r.status)).toEqual(["succeeded"]);
    expect((await findEvent(eventId)).deadNotifiedAt).not.toBeNull();
    expect(await notifyDeadEvents()).toBeNull();

    // Fixed, then retried by hand: only the failed pipeline runs again.
    await updateWebhookSubscription(readerId, { inputTemplate: { path: "", tier: "abstracts" } });
    const retried = await retryWebhookEvent(eventId, { inline: true });
    expect(retried).toMatchObject({ status: "processed", autoRetries: 0, deadAt: null, error: null });
    expect(await runsOf(eventId, "system.echo")).toHaveLength(1);
    expect((await runsOf(eventId, "context.read")).at(-1)!.status).toBe("succeeded");
  });

  it("claims nothing to announce while notifications are not configured", async () => {
    const { eventId } = await failingEvent("refund.issued");
    await autocommit().webhookEvent.update({ where: { id: eventId }, data: { autoRetries: RETRY_DELAYS_SECONDS.length } });
    await dispatchWebhookEvent(eventId);
    expect((await findEvent(eventId)).status).toBe("dead");

    const before = notifications().length;
    expect(await withEnv({ NOTIFY_WEBHOOK_URL: undefined }, () => notifyDeadEvents())).toBeNull();
    expect((await findEvent(eventId)).deadNotifiedAt).toBeNull();
    // Once a channel is configured, the event is announced.
    expect(await notifyDeadEvents()).toMatchObject({ notified: 1 });
    expect(notifications().slice(before).map((n) => n.title)).toEqual(["1 webhook event needs a retry"]);
  });

  it("shows on the Overview how many events wait for a retry and how many are dead", async () => {
    const before = (await getOverview()).events;
    const waiting = await failingEvent("cart.updated");
    await dispatchFailing(waiting.eventId);
    const gone = await failingEvent("cart.abandoned");
    await autocommit().webhookEvent.update({ where: { id: gone.eventId }, data: { autoRetries: RETRY_DELAYS_SECONDS.length } });
    await dispatchWebhookEvent(gone.eventId);

    const after = (await getOverview()).events;
    expect(after.waiting - before.waiting).toBe(1);
    expect(after.dead - before.dead).toBe(1);
    expect(after.nextAttemptAt).not.toBeNull();
    const [row] = await autocommit().$queryRaw<{ next: Date }[]>`SELECT min(next_attempt_at) AS next FROM webhook_events WHERE status = 'failed'`;
    expect(after.nextAttemptAt!.getTime()).toBe(row!.next.getTime());
  });

  it("runs an always-failing pipeline once per automatic retry through the in-process driver", async () => {
    const { eventId } = await failingEvent("stock.low");
    // The first delivery (the driver would retry it a few times within a minute; see in-process-dispatch.test.ts).
    await dispatchFailing(eventId);
    expect(await runsOf(eventId, "context.read")).toHaveLength(1);

    for (const retry of [1, 2]) {
      await makeDue(eventId);
      // The driver's own tick claims the retry and hands it to the driver's webhook lane.
      await redispatchPending();
      await drain();
      // The driver's first quick retry would come a second after the failure: none does.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await drain();
      expect(await findEvent(eventId)).toMatchObject({ status: "failed", autoRetries: retry });
      expect(await runsOf(eventId, "context.read")).toHaveLength(1 + retry);
      expect(await secondsUntilRetry(eventId)).toBeGreaterThan(RETRY_DELAYS_SECONDS[retry]! - 10);
    }
    expect(await runsOf(eventId, "system.echo")).toHaveLength(1);
  });
});
