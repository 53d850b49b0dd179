import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { isAppError } from "@/lib/errors";
import { DispatchFailedError, dispatchWebhookEvent } from "@/lib/events/dispatch-event";
import { updateWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { findEventsToRedispatch } from "@/lib/events/pending-events";
import { retryWebhookEvent } from "@/lib/events/retry-event";
import { eventRuns, findEvent, makeSource, subscribe } from "@/lib/events/test-kit";
import { newId } from "@/lib/ids";

// Dispatching stored events to their subscriptions against a real database and the real
// pipelines. Events are inserted directly (receiving is covered in receive-webhook.test.ts);
// dispatchWebhookEvent is called the way Inngest and the in-process driver call it.

// Retries from the API go to the background; here nothing runs behind the test's back.
const background = vi.hoisted(() => ({ sent: [] as string[] }));
vi.mock("@/inngest/dispatch", () => ({
  dispatchBackground: async (events: { data: { eventId: string } }[]) => void background.sent.push(...events.map((e) => e.data.eventId)),
}));

let sourceId: string;

async function storeEvent(eventType: string | null, payload: Record<string, unknown>, overrides: Partial<Prisma.WebhookEventUncheckedCreateInput> = {}) {
  const id = newId("evt");
  await autocommit().webhookEvent.create({
    data: {
      id,
      sourceId,
      deliveryId: randomUUID(),
      eventType,
      headers: { "x-request-id": `req-${id}` },
      rawBody: JSON.stringify(payload),
      payload: payload as Prisma.InputJsonValue,
      status: "received",
      ...overrides,
    },
  });
  return id;
}

async function dispatchExpectingFailure(eventId: string): Promise<DispatchFailedError> {
  try {
    await dispatchWebhookEvent(eventId);
  } catch (error) {
    if (error instanceof DispatchFailedError) return error;
    throw error;
  }
  throw new Error("expected the dispatch to throw so that it is retried");
}

const runsOf = async (eventId: string, pipeline: string) => (await eventRuns(eventId)).filter((r) => r.pipeline === pipeline);

beforeAll(async () => {
  sourceId = (await makeSource("github")).id;
});

describe("dispatchWebhookEvent", () => {
  it("runs each matching subscription once, with trigger event, the event as actor and the mapped input", async () => {
    const push = await subscribe("github", "push", "system.echo", { message: "$.head_commit.message" });
    const any = await subscribe("github", "*", "notes.capture", { title: "$.repository.name", body: "$.head_commit.message", tags: ["github"] });
    const other = await subscribe("github", "issues.opened", "system.echo", { message: "$.issue.title" });
    const eventId = await storeEvent("push", { repository: { name: "automations" }, head_commit: { message: "Add webhooks" } });

    expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 2, failed: 0, skipped: 0 });

    const runs = await eventRuns(eventId);
    expect(runs.map((r) => r.pipeline).sort()).toEqual(["notes.capture", "system.echo"]);
    for (const run of runs) {
      expect(run).toMatchObject({
        status: "succeeded",
        trigger: "event",
        actorType: "event",
        actorId: eventId,
        actorLabel: "github/push",
        requestId: `req-${eventId}`,
      });
    }
    expect(runs.find((r) => r.pipeline === "system.echo")!.input).toEqual({ message: "Add webhooks" });
    expect(runs.find((r) => r.pipeline === "notes.capture")!.input).toMatchObject({ title: "automations", body: "Add webhooks", tags: ["github"] });

    const event = await findEvent(eventId);
    expect(event).toMatchObject({ status: "processed", attempts: 1, error: null });
    expect(event.processedAt).not.toBeNull();
    expect(event.dispatches.map((d) => d.subscriptionId).sort()).toEqual([any.id, push.id].sort());
    expect(event.dispatches.every((d) => d.status === "succeeded" && d.runId)).toBe(true);
    expect(event.dispatches.some((d) => d.subscriptionId === other.id)).toBe(false);

    // Delivered again (Inngest at-least-once, a sweep): nothing runs twice.
    expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 2, failed: 0, skipped: 0 });
    expect(await eventRuns(eventId)).toHaveLength(2);
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });

  it("runs each subscription once when two workers dispatch the same event at the same moment", async () => {
    await subscribe("github", "release", "system.echo", { message: "$.tag" });
    await subscribe("github", "release", "system.echo", { message: "$$5 off" });
    const eventId = await storeEvent("release", { tag: "v1.0.0" });
    await Promise.all([dispatchWebhookEvent(eventId), dispatchWebhookEvent(eventId), dispatchWebhookEvent(eventId)]);
    const runs = await eventRuns(eventId);
    expect(runs.map((r) => (r.input as { message: string }).message).sort()).toEqual(["$5 off", "v1.0.0"]);
    expect((await findEvent(eventId)).status).toBe("processed");
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });

  it("leaves the event failed and retryable when a run fails; a retry after fixing the subscription re-runs only that one", async () => {
    await subscribe("github", "file.changed", "system.echo", { message: "$.file" });
    // The payload's path escapes the context hub: the run fails (403 inside the pipeline).
    const reader = await subscribe("github", "file.changed", "context.read", { path: "$.file", tier: "full" });
    const eventId = await storeEvent("file.changed", { file: "../../etc/passwd" });

    const error = await dispatchExpectingFailure(eventId);
    expect(error.message).toMatch(/1 of 2 subscribed pipeline run\(s\) failed/);
    let event = await findEvent(eventId);
    expect(event.status).toBe("failed");
    expect(event.error).toMatchObject({
      code: "dispatch_failed",
      message: expect.stringMatching(/^1 of 2 subscribed pipelines failed; first: context\.read failed: /),
      failures: [{ pipeline: "context.read", subscriptionId: reader.id, final: false }],
    });
    const failedRun = (await runsOf(eventId, "context.read"))[0]!;
    expect(failedRun.status).toBe("failed");
    expect(event.dispatches.find((d) => d.subscriptionId === reader.id)).toMatchObject({ status: "failed", runId: failedRun.id });

    // The driver delivers it again (its automatic retry): the succeeded echo is not re-run.
    await dispatchExpectingFailure(eventId);
    expect(await runsOf(eventId, "system.echo")).toHaveLength(1);
    expect(await runsOf(eventId, "context.read")).toHaveLength(2);

    // The owner fixes the subscription and retries the event.
    await updateWebhookSubscription(reader.id, { inputTemplate: { path: "", tier: "abstracts" } });
    const retried = await retryWebhookEvent(eventId, { inline: true });
    expect(retried.status).toBe("processed");
    expect(retried.error).toBeNull();
    expect(retried.dispatches.every((d) => d.status === "succeeded")).toBe(true);
    expect(await runsOf(eventId, "system.echo")).toHaveLength(1);
    const reads = await runsOf(eventId, "context.read");
    expect(reads.map((r) => r.status)).toEqual(["failed", "failed", "succeeded"]);
    event = await findEvent(eventId);
    expect(event.attempts).toBe(3);
    expect(event.dispatches.find((d) => d.subscriptionId === reader.id)!.runId).toBe(reads[2]!.id);
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });

  it("fails a template the payload does not fit, or an input the pipeline refuses, as dead without retrying it", async () => {
    const template = await subscribe("github", "star", "system.echo", { message: "$.sender.login" });
    const refused = await subscribe("github", "star", "system.echo", { message: "$.count" });
    const eventId = await storeEvent("star", { count: 3 });

    // Final failures: recorded, the event dead at once (no automatic retry can help), no exception.
    expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 0, failed: 2, skipped: 0 });
    const event = await findEvent(eventId);
    expect(event).toMatchObject({ status: "dead", autoRetries: 0, nextAttemptAt: null });
    expect(event.deadAt).not.toBeNull();
    const byId = Object.fromEntries(event.dispatches.map((d) => [d.subscriptionId, d]));
    expect(byId[template.id]).toMatchObject({
      status: "failed",
      runId: null,
      error: { code: "template_failed", final: true, message: 'Input template: $.sender.login: the payload has no "sender" at $' },
    });
    expect(byId[refused.id]).toMatchObject({
      status: "failed",
      runId: null,
      error: { code: "validation_failed", final: true, message: expect.stringMatching(/^Input for system\.echo is invalid \(message: /) },
    });
    expect(await eventRuns(eventId)).toHaveLength(0);
    // Delivered again: still nothing runs.
    await dispatchWebhookEvent(eventId);
    expect(await eventRuns(eventId)).toHaveLength(0);

    // A manual retry of the dead event runs final failures again, with the fixed template.
    await updateWebhookSubscription(template.id, { inputTemplate: { message: "starred" } });
    await updateWebhookSubscription(refused.id, { enabled: false });
    const retried = await retryWebhookEvent(eventId, { inline: true });
    expect(retried).toMatchObject({ status: "processed", deadAt: null, nextAttemptAt: null });
    expect(retried.dispatches.map((d) => d.status).sort()).toEqual(["skipped", "succeeded"]);
    expect((await eventRuns(eventId)).map((r) => r.input)).toEqual([{ message: "starred" }]);
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });

  it("marks an event with no matching subscription processed, and never dispatches an invalid one", async () => {
    const lonely = await storeEvent("nobody.listens", { a: 1 });
    expect(await dispatchWebhookEvent(lonely)).toEqual({ processed: 0, failed: 0, skipped: 0 });
    expect((await findEvent(lonely)).status).toBe("processed");

    await subscribe("github", "*", "system.echo", {});
    const invalid = await storeEvent(null, {}, { status: "invalid", payload: Prisma.JsonNull, rawBody: "nope" });
    expect(await dispatchWebhookEvent(invalid)).toEqual({ processed: 0, failed: 0, skipped: 0 });
    expect(await findEvent(invalid)).toMatchObject({ status: "invalid", attempts: 0, dispatches: [] });
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });

  it("picks up a crashed worker's dispatch without starting its run a second time", async () => {
    const sub = await subscribe("github", "deploy", "system.echo", { message: "$.env" });
    const eventId = await storeEvent("deploy", { env: "prod" });
    await dispatchWebhookEvent(eventId);
    const [run] = await eventRuns(eventId);
    // As if the worker had died after the run finished but before recording it.
    const stale = new Date(Date.now() - 20 * 60_000);
    await autocommit().webhookDispatch.updateMany({ where: { eventId }, data: { status: "running", error: Prisma.JsonNull } });
    await autocommit().$executeRaw`UPDATE webhook_dispatches SET updated_at = ${stale} WHERE event_id = ${eventId}`;
    await autocommit().webhookEvent.update({ where: { id: eventId }, data: { status: "dispatched" } });

    expect(await dispatchWebhookEvent(eventId)).toEqual({ processed: 1, failed: 0, skipped: 0 });
    expect((await eventRuns(eventId)).map((r) => r.id)).toEqual([run!.id]);
    expect(await findEvent(eventId)).toMatchObject({ status: "processed", dispatches: [{ subscriptionId: sub.id, status: "succeeded", runId: run!.id }] });

    // A dispatch another worker holds right now is left alone.
    const busy = await storeEvent("deploy", { env: "staging" });
    await dispatchWebhookEvent(busy);
    await autocommit().webhookDispatch.updateMany({ where: { eventId: busy }, data: { status: "running" } });
    await autocommit().webhookEvent.update({ where: { id: busy }, data: { status: "dispatched" } });
    await dispatchWebhookEvent(busy);
    expect(await findEvent(busy)).toMatchObject({ status: "dispatched" });
    expect(await eventRuns(busy)).toHaveLength(1);
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });

  it("tells a held dispatch from a crashed worker's by the database's clock, however far off this server's is", async () => {
    await subscribe("github", "deploy", "system.echo", { message: "$.env" });
    const held = await storeEvent("deploy", { env: "held" });
    const crashed = await storeEvent("deploy", { env: "crashed" });
    for (const id of [held, crashed]) await dispatchWebhookEvent(id);
    const runningSince = async (id: string, minutes: number) => {
      await autocommit().$executeRaw`UPDATE webhook_dispatches SET status = 'running', error = NULL,
        updated_at = (now() AT TIME ZONE 'UTC') - ${minutes}::int * interval '1 minute' WHERE event_id = ${id}`;
      await autocommit().webhookEvent.update({ where: { id }, data: { status: "dispatched" } });
    };
    await runningSince(held, 1);
    await runningSince(crashed, 20);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 24 * 3_600_000);
      await dispatchWebhookEvent(held);
      expect(await findEvent(held)).toMatchObject({ status: "dispatched", dispatches: [{ status: "running" }] });
      vi.setSystemTime(Date.now() - 48 * 3_600_000);
      expect(await dispatchWebhookEvent(crashed)).toEqual({ processed: 1, failed: 0, skipped: 0 });
    } finally {
      vi.useRealTimers();
    }
    expect(await eventRuns(crashed)).toHaveLength(1);
    await autocommit().webhookSubscription.deleteMany({ where: { sourceId } });
  });
});

describe("findEventsToRedispatch", () => {
  it("finds events stored but never finished, once they are a minute old", async () => {
    const old = new Date(Date.now() - 2 * 60_000);
    const stuckReceived = await storeEvent("x", {}, { receivedAt: old });
    const stuckDispatched = await storeEvent("x", {}, { receivedAt: old, status: "dispatched" });
    const fresh = await storeEvent("x", {});
    const done = await Promise.all(
      (["processed", "failed", "invalid"] as const).map((status) => storeEvent("x", {}, { receivedAt: old, status })),
    );
    const found = (await findEventsToRedispatch()).map((e) => e.eventId);
    expect(found).toEqual(expect.arrayContaining([stuckReceived, stuckDispatched]));
    for (const id of [fresh, ...done]) expect(found).not.toContain(id);

    // Dispatched, they are no longer found.
    await dispatchWebhookEvent(stuckReceived);
    expect((await findEventsToRedispatch()).map((e) => e.eventId)).not.toContain(stuckReceived);
  });
});

describe("retryWebhookEvent", () => {
  it("refuses processed and invalid events, and unknown ids", async () => {
    const processed = await storeEvent("x", {}, { status: "processed" });
    const invalid = await storeEvent("x", {}, { status: "invalid" });
    for (const [id, code] of [[processed, "conflict"], [invalid, "conflict"], ["evt_nothing", "not_found"]] as const) {
      await expect(retryWebhookEvent(id)).rejects.toSatisfy((e: unknown) => isAppError(e) && e.code === code);
    }
  });

  it("resets a failed event and hands it to the background", async () => {
    const eventId = await storeEvent("x", {}, { status: "failed", error: { code: "dispatch_failed", message: "boom" } });
    background.sent.length = 0;
    const event = await retryWebhookEvent(eventId);
    expect(event).toMatchObject({ status: "dispatched", error: null, retryable: true });
    expect(background.sent).toEqual([eventId]);
  });
});
