import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { callRoute, type RouteCall, type RouteHandler } from "@/tests/setup/route-call";
import * as eventRoute from "@/app/api/webhook-events/[id]/route";
import * as retryRoute from "@/app/api/webhook-events/[id]/retry/route";
import * as eventsRoute from "@/app/api/webhook-events/route";
import * as sourceRoute from "@/app/api/webhook-sources/[name]/route";
import * as rotateRoute from "@/app/api/webhook-sources/[name]/rotate-secret/route";
import * as subscriptionRoute from "@/app/api/webhook-sources/[name]/subscriptions/[id]/route";
import * as subscriptionsRoute from "@/app/api/webhook-sources/[name]/subscriptions/route";
import * as sourcesRoute from "@/app/api/webhook-sources/route";
import { decryptSecret } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { POST } from "@/app/api/webhooks/[source]/route";
import { webhookRequest, type Delivery } from "@/lib/events/test-kit";
import { configureLogging } from "@/lib/logger";

// The management API (sources, subscriptions, events) through its route handlers. The session
// check itself needs a Next request scope and is covered by the HTTP tier; here a signed-in
// owner is assumed.

vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => ({ id: "usr_test", email: "owner@example.com", name: "Owner", role: "owner" }),
}));
vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async () => {} }));

const call = (handler: RouteHandler, path: string, params: Record<string, string> = {}, init: Omit<RouteCall, "params"> = {}) => callRoute(handler, path, { params, ...init });

async function deliver(source: string, options: Delivery = {}) {
  const res = await POST(webhookRequest(source, options), { params: Promise.resolve({ source }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const logs: string[] = [];
const secrets: string[] = [];

beforeAll(() => {
  configureLogging({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
});

afterAll(() => {
  const all = logs.join("\n");
  for (const secret of secrets) expect(all).not.toContain(secret);
  configureLogging({});
});

describe("webhook sources API", () => {
  it("creates a source and shows its secret once, with the endpoint and a signing example", async () => {
    const created = await call(sourcesRoute.POST, "/api/webhook-sources", {}, { method: "POST", body: { name: "stripe", description: "Payments" } });
    expect(created.status).toBe(201);
    const { source, secret, signing } = created.json;
    secrets.push(secret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(source).toMatchObject({ name: "stripe", description: "Payments", toleranceSeconds: 300, enabled: true, endpoint: "http://localhost:3000/api/webhooks/stripe" });
    expect(signing).toMatchObject({ header: "webhook-signature", deliveryHeader: "webhook-id", eventTypeHeader: "x-pa-event" });
    expect(signing.scheme).toMatch(/^Standard Webhooks: webhook-signature: v1,<base64 HMAC-SHA256/);
    expect(signing.examples.curl).toContain(secret);
    expect(signing.examples.curl).toContain("openssl dgst -sha256 -mac HMAC");
    expect(signing.examples.node).toContain(`new Webhook("${secret}")`);

    // Stored sealed, bound to the source.
    const row = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "stripe" } });
    expect(row.secretEncrypted).not.toContain(secret.slice(6));
    expect(decryptSecret(row.secretEncrypted, `webhook_source:${row.id}`)).toBe(secret);
  });

  it("never returns the secret again: list, get, update, subscriptions", async () => {
    const secret = secrets[0]!;
    const responses = [
      await call(sourcesRoute.GET, "/api/webhook-sources"),
      await call(sourceRoute.GET, "/api/webhook-sources/stripe", { name: "stripe" }),
      await call(sourceRoute.PATCH, "/api/webhook-sources/stripe", { name: "stripe" }, { method: "PATCH", body: { toleranceSeconds: 120 } }),
      await call(subscriptionsRoute.POST, "/x", { name: "stripe" }, { method: "POST", body: { eventType: "*", pipeline: "system.echo" } }),
      await call(subscriptionsRoute.GET, "/x", { name: "stripe" }),
    ];
    for (const res of responses) {
      expect(res.status).toBeLessThan(300);
      expect(res.text).not.toContain(secret);
      expect(res.text).not.toMatch(/whsec_|secretEncrypted|"v1\./);
    }
    expect(responses[0]!.json.sources[0]).toMatchObject({ name: "stripe", counts: { subscriptions: 0, events: 0 } });
    expect(responses[2]!.json.source.toleranceSeconds).toBe(120);
  });

  it("rotates the secret: the new one is shown once and works, the old one stops at once", async () => {
    const old = secrets[0]!;
    const rotated = await call(rotateRoute.POST, "/x", { name: "stripe" }, { method: "POST" });
    expect(rotated.status).toBe(200);
    const fresh = rotated.json.secret as string;
    secrets.push(fresh);
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect((await deliver("stripe", { secret: old })).status).toBe(401);
    expect((await deliver("stripe", { secret: fresh })).status).toBe(202);
  });

  it("validates names, refuses duplicates, disables and deletes", async () => {
    const bad = await call(sourcesRoute.POST, "/x", {}, { method: "POST", body: { name: "Not Valid!" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0].path).toBe("name");
    const dup = await call(sourcesRoute.POST, "/x", {}, { method: "POST", body: { name: "stripe" } });
    expect(dup.status).toBe(409);

    const disabled = await call(sourceRoute.PATCH, "/x", { name: "stripe" }, { method: "PATCH", body: { enabled: false } });
    expect(disabled.json.source.enabled).toBe(false);
    expect((await deliver("stripe", { secret: secrets[1]! })).status).toBe(404);
    await call(sourceRoute.PATCH, "/x", { name: "stripe" }, { method: "PATCH", body: { enabled: true } });

    const temp = await call(sourcesRoute.POST, "/x", {}, { method: "POST", body: { name: "temporary" } });
    secrets.push(temp.json.secret);
    expect((await call(sourceRoute.DELETE, "/x", { name: "temporary" }, { method: "DELETE" })).json).toEqual({ deleted: true, name: "temporary" });
    expect((await call(sourceRoute.GET, "/x", { name: "temporary" })).status).toBe(404);
  });
});

describe("webhook subscriptions API", () => {
  it("validates the pipeline and the template syntax", async () => {
    const unknown = await call(subscriptionsRoute.POST, "/x", { name: "stripe" }, { method: "POST", body: { eventType: "a", pipeline: "no.such" } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details.issues).toEqual([{ path: "pipeline", message: 'there is no pipeline named "no.such"' }]);

    const template = await call(
      subscriptionsRoute.POST,
      "/x",
      { name: "stripe" },
      { method: "POST", body: { eventType: "a", pipeline: "system.echo", inputTemplate: { message: "$.a..b" } } },
    );
    expect(template.status).toBe(400);
    expect(template.json.error.details.issues[0].path).toBe("inputTemplate.message");

    const notObject = await call(subscriptionsRoute.POST, "/x", { name: "stripe" }, { method: "POST", body: { eventType: "a", pipeline: "system.echo", inputTemplate: [1] } });
    expect(notObject.status).toBe(400);
  });

  it("updates and deletes a subscription only under its own source", async () => {
    const created = await call(
      subscriptionsRoute.POST,
      "/x",
      { name: "stripe" },
      { method: "POST", body: { eventType: "charge.succeeded", pipeline: "system.echo", inputTemplate: { message: "$.id" } } },
    );
    expect(created.status).toBe(201);
    const id = created.json.subscription.id as string;
    expect(id).toMatch(/^sub_/);

    await call(sourcesRoute.POST, "/x", {}, { method: "POST", body: { name: "other" } }).then((r) => secrets.push(r.json.secret));
    expect((await call(subscriptionRoute.DELETE, "/x", { name: "other", id }, { method: "DELETE" })).status).toBe(404);

    const updated = await call(subscriptionRoute.PATCH, "/x", { name: "stripe", id }, { method: "PATCH", body: { enabled: false, inputTemplate: { message: "fixed" } } });
    expect(updated.json.subscription).toMatchObject({ enabled: false, inputTemplate: { message: "fixed" } });
    expect((await call(subscriptionRoute.DELETE, "/x", { name: "stripe", id }, { method: "DELETE" })).json).toEqual({ deleted: true, id });
  });
});

describe("webhook events API", () => {
  it("lists events newest first with source and status filters and a cursor, and shows one in full", async () => {
    for (let i = 0; i < 3; i++) await deliver("stripe", { secret: secrets[1]!, body: JSON.stringify({ type: "charge", n: i }) });
    await deliver("stripe", { secret: secrets[1]!, body: "not json" });

    const all = await call(eventsRoute.GET, "/api/webhook-events?source=stripe");
    expect(all.json.events.length).toBe(5);
    const page1 = await call(eventsRoute.GET, "/api/webhook-events?source=stripe&limit=2");
    expect(page1.json.events).toHaveLength(2);
    const page2 = await call(eventsRoute.GET, `/api/webhook-events?source=stripe&limit=2&cursor=${page1.json.nextCursor}`);
    const page3 = await call(eventsRoute.GET, `/api/webhook-events?source=stripe&limit=2&cursor=${page2.json.nextCursor}`);
    expect([...page1.json.events, ...page2.json.events, ...page3.json.events].map((e: { id: string }) => e.id)).toEqual(
      all.json.events.map((e: { id: string }) => e.id),
    );
    expect(page3.json.nextCursor).toBeNull();

    const invalid = await call(eventsRoute.GET, "/api/webhook-events?status=invalid");
    expect(invalid.json.events).toHaveLength(1);
    expect(invalid.json.events[0]).toMatchObject({ source: "stripe", status: "invalid", error: { code: "invalid_payload" } });
    expect((await call(eventsRoute.GET, "/api/webhook-events?source=nobody")).json.events).toEqual([]);
    expect((await call(eventsRoute.GET, "/api/webhook-events?status=bogus")).status).toBe(400);

    const one = await call(eventRoute.GET, "/x", { id: all.json.events[1].id });
    expect(one.json.event).toMatchObject({ source: "stripe", rawBody: JSON.stringify({ type: "charge", n: 2 }), payload: { type: "charge", n: 2 }, eventType: "charge" });
    expect(Object.keys(one.json.event.headers)).not.toContain("x-pa-signature");
    expect((await call(eventRoute.GET, "/x", { id: "evt_nope" })).status).toBe(404);

    const retryInvalid = await call(retryRoute.POST, "/x", { id: invalid.json.events[0].id }, { method: "POST" });
    expect(retryInvalid.status).toBe(409);
  });
});
