import { createHash, randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { beforeAll, describe, expect, it } from "vitest";
import { webhookDispatchFunction } from "@/inngest/functions/webhook-dispatch";
import type { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { eventRuns, findEvent, makeSource, subscribe } from "@/lib/events/test-kit";
import { newId } from "@/lib/ids";

// The Inngest function as Inngest runs it (through @inngest/test): one step that dispatches the
// stored event. Its state is keyed by the sha1 of the step id.

const stepKey = (id: string) => createHash("sha1").update(id).digest("hex");

let sourceId: string;

async function storeEvent(eventType: string, payload: Record<string, unknown>): Promise<string> {
  const id = newId("evt");
  await autocommit().webhookEvent.create({
    data: { id, sourceId, deliveryId: randomUUID(), eventType, headers: {}, rawBody: JSON.stringify(payload), payload: payload as Prisma.InputJsonValue, status: "received" },
  });
  return id;
}

function execute(eventId: string) {
  const engine = new InngestTestEngine({ function: webhookDispatchFunction });
  return engine.execute({ events: [{ name: "webhook/event.received", data: { eventId } }] });
}

beforeAll(async () => {
  sourceId = (await makeSource("inngest-test")).id;
  await subscribe("inngest-test", "ping", "system.echo", { message: "$.message" });
  await subscribe("inngest-test", "read", "context.read", { path: "$.path", tier: "full" });
});

describe("webhook-dispatch (Inngest function)", () => {
  it("runs the subscribed pipeline in its dispatch-event step and reports the counts", async () => {
    const eventId = await storeEvent("ping", { message: "from inngest" });
    const { result, state, ctx } = await execute(eventId);
    expect(result).toEqual({ processed: 1, failed: 0, skipped: 0 });
    expect(ctx.step.run).toHaveBeenCalledWith("dispatch-event", expect.any(Function));
    await expect(state[stepKey("dispatch-event")]).resolves.toEqual({ processed: 1, failed: 0, skipped: 0 });
    const runs = await eventRuns(eventId);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "event", status: "succeeded", input: { message: "from inngest" } });
    expect((await findEvent(eventId)).status).toBe("processed");

    // Inngest delivers at least once: a second execution runs nothing again.
    expect((await execute(eventId)).result).toEqual({ processed: 1, failed: 0, skipped: 0 });
    expect(await eventRuns(eventId)).toHaveLength(1);
  });

  it("fails the step when a run fails, so that Inngest retries it", async () => {
    const eventId = await storeEvent("read", { path: "../outside" });
    const { error } = await execute(eventId);
    expect(error).toMatchObject({ message: expect.stringMatching(/1 of 1 subscribed pipeline run\(s\) failed/) });
    expect((await findEvent(eventId)).status).toBe("failed");
  });
});
