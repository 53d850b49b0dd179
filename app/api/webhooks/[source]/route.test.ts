import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { encryptSecret } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { configureLogging } from "@/lib/logger";
import { signatureHeader } from "@/lib/events/signature";
import { updateWebhookSource } from "@/lib/events/manage-sources";
import { countEvents, eventRuns, findEvent, makeSource, subscribe, webhookRequest, type Delivery } from "@/lib/events/test-kit";
import { NextRequest } from "next/server";
import { POST } from "./route";

// The receiving half: verify → persist → dispatch, through the real route handler and a real
// database. The background hand-off is replaced by a recorder that looks at the database when it
// is called (to prove the event was committed first) and then runs the dispatch inline.

const background = vi.hoisted(() => ({ calls: [] as { eventId: string; statusSeen: string | null }[], run: true }));
vi.mock("@/inngest/dispatch", () => ({
  dispatchBackground: async (events: { name: string; data: { eventId: string } }[]) => {
    const { autocommit: db } = await import("@/lib/db/transaction");
    const { dispatchWebhookEvent } = await import("@/lib/events/dispatch-event");
    for (const event of events) {
      const row = await db().webhookEvent.findUnique({ where: { id: event.data.eventId } });
      background.calls.push({ eventId: event.data.eventId, statusSeen: row?.status ?? null });
      if (background.run) await dispatchWebhookEvent(event.data.eventId);
    }
  },
}));

async function deliver(source: string, options: Delivery = {}) {
  const res = await POST(webhookRequest(source, options), { params: Promise.resolve({ source }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const logs: string[] = [];
let source: Awaited<ReturnType<typeof makeSource>>;

beforeAll(async () => {
  configureLogging({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
  source = await makeSource("shop");
  await subscribe("shop", "order.created", "system.echo", { message: "$.order.note" });
});

afterAll(() => {
  // The secret never reaches a log line, whatever happened in this file.
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.join("\n")).not.toContain(source.secret);
  configureLogging({});
});

beforeEach(() => {
  background.calls.length = 0;
  background.run = true;
});

const orderBody = (note = "first") => JSON.stringify({ type: "order.created", order: { id: 7, note } });

describe("POST /api/webhooks/<source>: verification", () => {
  it("stores a correctly signed delivery before answering 202, then hands it to the background", async () => {
    const before = await countEvents();
    const body = orderBody();
    const delivery = randomUUID();
    const res = await deliver("shop", { body, secret: source.secret, delivery, eventType: "order.created", headers: { "x-request-id": "req-test-0001" } });

    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "received", requestId: "req-test-0001" });
    expect(res.headers.get("x-request-id")).toBe("req-test-0001");
    const eventId = res.json.eventId as string;
    expect(eventId).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(await countEvents()).toBe(before + 1);

    // The hand-off came after the commit: it saw the row.
    expect(background.calls).toEqual([{ eventId, statusSeen: "received" }]);

    const event = await findEvent(eventId);
    expect(event.rawBody).toBe(body);
    expect(event.payload).toEqual(JSON.parse(body));
    expect(event.deliveryId).toBe(delivery);
    expect(event.eventType).toBe("order.created");
    expect(event.headers).toEqual({
      "content-type": "application/json",
      "user-agent": "test-sender/1.0",
      "x-pa-event": "order.created",
      "x-pa-delivery": delivery,
      "x-request-id": "req-test-0001",
    });
    expect(event.status).toBe("processed");
    const [run] = await eventRuns(eventId);
    expect(run).toMatchObject({ pipeline: "system.echo", status: "succeeded", trigger: "event", requestId: "req-test-0001" });
    expect(run!.input).toEqual({ message: "first" });
  });

  it("takes the event type from the payload's type when there is no x-pa-event header", async () => {
    const res = await deliver("shop", { body: orderBody("typed by body"), secret: source.secret });
    expect(res.status).toBe(202);
    const event = await findEvent(res.json.eventId as string);
    expect(event.eventType).toBe("order.created");
    expect((await eventRuns(event.id))[0]!.input).toEqual({ message: "typed by body" });
  });

  it("refuses a bad signature with 401 and stores nothing", async () => {
    const before = await countEvents();
    const res = await deliver("shop", { body: orderBody(), secret: "whsec_not-the-secret" });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: "unauthorized", message: expect.stringMatching(/does not match/) } });
    expect(JSON.stringify(res.json)).not.toMatch(/[0-9a-f]{64}/);

    // Signed over a different body than the one sent.
    const tampered = await deliver("shop", { body: orderBody("changed"), signature: signatureHeader(source.secret, orderBody()) });
    expect(tampered.status).toBe(401);
    expect(await countEvents()).toBe(before);
    expect(background.calls).toEqual([]);
  });

  it("refuses stale and future timestamps (replays) with 401, even correctly signed", async () => {
    const before = await countEvents();
    const now = Math.floor(Date.now() / 1000);
    const stale = await deliver("shop", { body: orderBody(), secret: source.secret, timestamp: now - 301 });
    expect(stale.status).toBe(401);
    expect(stale.json).toMatchObject({ error: { message: expect.stringMatching(/s old, outside the 300-second tolerance window/) } });
    const future = await deliver("shop", { body: orderBody(), secret: source.secret, timestamp: now + 301 });
    expect(future.status).toBe(401);
    expect(future.json).toMatchObject({ error: { message: expect.stringMatching(/in the future/) } });
    expect(await countEvents()).toBe(before);
  });

  it("accepts Standard Webhooks deliveries (webhook-id, webhook-timestamp, webhook-signature)", async () => {
    const delivery = randomUUID();
    const res = await deliver("shop", { body: orderBody("standard"), secret: source.secret, scheme: "standard", delivery });
    expect(res.status).toBe(202);
    const event = await findEvent(res.json.eventId as string);
    expect(event).toMatchObject({ deliveryId: delivery, eventType: "order.created", status: "processed", signatureDigest: null });
    expect(event.headers).toMatchObject({ "webhook-id": delivery });
    // A repeat of the same delivery is a duplicate, as with the legacy scheme.
    const again = await deliver("shop", { body: orderBody("standard"), secret: source.secret, scheme: "standard", delivery });
    expect(again).toMatchObject({ status: 200, json: { duplicate: true, eventId: event.id } });
  });

  it("refuses a captured request replayed under a new delivery id, in either scheme", async () => {
    const before = await countEvents();
    // Standard Webhooks signs the id: the old signature does not match the new one.
    const signed = webhookRequest("shop", { body: orderBody("replay"), secret: source.secret, scheme: "standard" });
    const first = await POST(new NextRequest(signed.url, { method: "POST", headers: signed.headers, body: orderBody("replay") }), { params: Promise.resolve({ source: "shop" }) });
    expect(first.status).toBe(202);
    const headers = new Headers(signed.headers);
    headers.set("webhook-id", randomUUID());
    const replayed = await POST(new NextRequest(signed.url, { method: "POST", headers, body: orderBody("replay") }), { params: Promise.resolve({ source: "shop" }) });
    expect(replayed.status).toBe(401);

    // The legacy scheme does not sign the id; the accepted signature is remembered instead.
    const signature = signatureHeader(source.secret, orderBody("legacy replay"));
    expect((await deliver("shop", { body: orderBody("legacy replay"), signature })).status).toBe(202);
    const legacyReplay = await deliver("shop", { body: orderBody("legacy replay"), signature });
    expect(legacyReplay.status).toBe(409);
    expect((legacyReplay.json.error as { message: string }).message).toContain("replayed request is refused");
    expect(await countEvents()).toBe(before + 2);
  });

  it("honours the source's own tolerance window", async () => {
    const tight = await makeSource("tight", { toleranceSeconds: 10 });
    const now = Math.floor(Date.now() / 1000);
    expect((await deliver("tight", { secret: tight.secret, timestamp: now - 60 })).status).toBe(401);
    expect((await deliver("tight", { secret: tight.secret, timestamp: now - 5 })).status).toBe(202);
  });

  it("refuses a missing or malformed signature header with 401", async () => {
    const before = await countEvents();
    const missing = await deliver("shop", { signature: null });
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ error: { message: expect.stringMatching(/x-pa-signature header is missing/) } });
    for (const signature of ["v1=abc", "t=123", "nonsense", `t=${Math.floor(Date.now() / 1000)},v1=xyz`]) {
      const res = await deliver("shop", { signature });
      expect(res.status, signature).toBe(401);
      expect(res.json, signature).toMatchObject({ error: { message: expect.stringMatching(/malformed/) } });
    }
    expect(await countEvents()).toBe(before);
  });

  it("fails closed with 503 when the source's secret cannot be decrypted, storing nothing", async () => {
    const broken = await makeSource("broken");
    const before = await countEvents();
    // Sealed with a key this installation does not have (e.g. ENCRYPTION_KEYS changed).
    const foreign = encryptSecret(broken.secret, `webhook_source:${broken.id}`, [{ id: "gone", key: randomBytes(32) }]);
    await autocommit().webhookSource.update({ where: { id: broken.id }, data: { secretEncrypted: foreign } });
    const res = await deliver("broken", { secret: broken.secret });
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: { code: "unavailable" } });

    // No secret at all: refused the same way, never an unchecked delivery.
    await autocommit().webhookSource.update({ where: { id: broken.id }, data: { secretEncrypted: "" } });
    expect((await deliver("broken", { secret: broken.secret })).status).toBe(503);
    expect((await deliver("broken", { signature: null })).status).toBe(503);

    expect(await countEvents()).toBe(before);
    expect(background.calls).toEqual([]);
    expect(logs.join("\n")).toMatch(/signing secret cannot be decrypted/);
  });

  it("answers 404 alike for an unknown source and a disabled one", async () => {
    const unknown = await deliver("nobody", { secret: "whsec_x" });
    expect(unknown.status).toBe(404);
    await makeSource("paused");
    await updateWebhookSource("paused", { enabled: false });
    const disabled = await deliver("paused", { secret: "whsec_x" });
    expect(disabled.status).toBe(404);
    expect(disabled.json.error).toEqual({ code: "not_found", message: 'There is no webhook source named "paused"' });
    expect((await deliver("Not A Name", { secret: "whsec_x" })).status).toBe(404);
  });
});

describe("POST /api/webhooks/<source>: storing", () => {
  it("stores a repeated delivery id once and runs it once", async () => {
    const delivery = randomUUID();
    const first = await deliver("shop", { body: orderBody("once"), secret: source.secret, delivery });
    expect(first.status).toBe(202);
    // The sender retries (re-signed, maybe later): same delivery id.
    const again = await deliver("shop", { body: orderBody("once"), secret: source.secret, delivery });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, eventId: first.json.eventId, status: "processed" });

    const stored = await autocommit().webhookEvent.findMany({ where: { deliveryId: delivery } });
    expect(stored).toHaveLength(1);
    expect(background.calls.map((c) => c.eventId)).toEqual([first.json.eventId]);
    expect(await eventRuns(first.json.eventId as string)).toHaveLength(1);
  });

  it("runs a delivery once when the sender sends it twice at the same moment", async () => {
    const delivery = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => deliver("shop", { body: orderBody("race"), secret: source.secret, delivery })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    expect(new Set(results.map((r) => r.json.eventId)).size).toBe(1);
    expect(await eventRuns(results[0]!.json.eventId as string)).toHaveLength(1);
  });

  it("stores a body that is not a JSON object as invalid, answers 202 and dispatches nothing", async () => {
    for (const body of ["not json at all", "[1,2,3]", '"text"', ""]) {
      const res = await deliver("shop", { body, secret: source.secret });
      expect(res.status, body).toBe(202);
      expect(res.json.status).toBe("invalid");
      const event = await findEvent(res.json.eventId as string);
      expect(event).toMatchObject({ status: "invalid", rawBody: body, payload: null, attempts: 0 });
      expect(event.error).toMatchObject({ code: "invalid_payload" });
      expect(event.dispatches).toEqual([]);
    }
    expect(background.calls).toEqual([]);
  });

  it("stores a signed payload PostgreSQL cannot hold (NUL, lone surrogate, 5,000 levels) as invalid, saying where", async () => {
    const cases = [
      ['{"type":"order.created","order":{"note":"a\\u0000b"}}', 'field "order.note" contains a NUL character'],
      ['{"type":"order.created","order":{"note":"\\ud800"}}', 'field "order.note" contains a lone UTF-16 surrogate'],
      [`{"type":"order.created","deep":${"[".repeat(5000)}${"]".repeat(5000)}}`, "nested more than 64 levels"],
    ];
    for (const [body, problem] of cases) {
      const res = await deliver("shop", { body, secret: source.secret });
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ status: "invalid", error: expect.stringContaining(problem!) });
      expect(await findEvent(res.json.eventId as string)).toMatchObject({ status: "invalid", payload: null, dispatches: [] });
    }
    expect(background.calls).toEqual([]);
  });

  it("refuses a delivery without a usable x-pa-delivery id with 400", async () => {
    const before = await countEvents();
    for (const delivery of [null, "", "x".repeat(201)]) {
      const res = await deliver("shop", { secret: source.secret, delivery });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { message: expect.stringMatching(/x-pa-delivery header is required/) } });
    }
    expect(await countEvents()).toBe(before);
  });

  it("refuses a body over 1 MB with 413 without storing it", async () => {
    const before = await countEvents();
    const body = JSON.stringify({ type: "big", blob: "x".repeat(1_000_001) });
    const res = await deliver("shop", { body, secret: source.secret });
    expect(res.status).toBe(413);
    expect(await countEvents()).toBe(before);
  });

  it("stores an event whose dispatch is handed off but never runs as received, for the sweep", async () => {
    background.run = false;
    const res = await deliver("shop", { body: orderBody("later"), secret: source.secret });
    expect(res.status).toBe(202);
    const event = await findEvent(res.json.eventId as string);
    expect(event.status).toBe("dispatched");
    expect(event.dispatchedAt).not.toBeNull();
    expect(await eventRuns(event.id)).toHaveLength(0);
  });
});
