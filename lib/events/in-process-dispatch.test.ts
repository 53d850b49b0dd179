import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { drain, enqueue, redispatchPending } from "@/inngest/in-process-driver";
import { autocommit } from "@/lib/db/transaction";
import { updateWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { eventRuns, findEvent, makeSource, receive, subscribe } from "@/lib/events/test-kit";
import { newId } from "@/lib/ids";

// The whole path with the embedded driver the app uses when no Inngest server is configured:
// the receiver persists and enqueues, the driver dispatches (with its retries), and re-deliveries
// or the start-up sweep never run a succeeded pipeline twice.

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("webhooks through the in-process driver", () => {
  it("processes a delivery in the background and runs it once however often it is re-delivered", async () => {
    const { secret } = await makeSource("driver");
    await subscribe("driver", "ping", "system.echo", { message: "$.message" });
    const res = await receive("driver", { secret, body: JSON.stringify({ type: "ping", message: "queued" }) });
    expect(res.status).toBe(202);
    const { eventId } = res.body;
    await drain();
    expect(await findEvent(eventId)).toMatchObject({ status: "processed", attempts: 1 });

    enqueue([{ name: "webhook/event.received", data: { eventId } }, { name: "webhook/event.received", data: { eventId } }]);
    await drain();
    expect(await eventRuns(eventId)).toHaveLength(1);
  });

  it("re-dispatches an event stored before a stop, at the next sweep", async () => {
    const source = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "driver" } });
    const id = newId("evt");
    const payload = { type: "ping", message: "left behind" };
    await autocommit().webhookEvent.create({
      data: { id, sourceId: source.id, deliveryId: randomUUID(), eventType: "ping", headers: {}, rawBody: JSON.stringify(payload), payload, receivedAt: new Date(Date.now() - 5 * 60_000) },
    });
    expect(await redispatchPending()).toBeGreaterThanOrEqual(1);
    await drain();
    expect(await findEvent(id)).toMatchObject({ status: "processed" });
    expect((await eventRuns(id)).map((r) => r.input)).toEqual([{ message: "left behind" }]);
  });

  it("retries a failed run after a partial success without running the succeeded pipeline again", async () => {
    const { secret } = await makeSource("partial");
    await subscribe("partial", "file", "system.echo", { message: "$.path" });
    const reader = await subscribe("partial", "file", "context.read", { path: "$.path", tier: "full" });
    const { eventId } = (await receive("partial", { secret, body: JSON.stringify({ type: "file", path: "../secrets.md" }) })).body;
    await drain();
    expect(await findEvent(eventId)).toMatchObject({ status: "failed" });

    // Fixed before the driver's first automatic retry (one second later).
    await updateWebhookSubscription(reader.id, { inputTemplate: { path: "", tier: "abstracts" } });
    await until(async () => (await findEvent(eventId)).status === "processed");
    const runs = await eventRuns(eventId);
    expect(runs.filter((r) => r.pipeline === "system.echo")).toHaveLength(1);
    expect(runs.filter((r) => r.pipeline === "context.read").map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect((await findEvent(eventId)).attempts).toBe(2);
  });
});
