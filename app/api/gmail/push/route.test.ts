import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { pushBody, pushClaims, pushEnv } from "@/lib/email/push-test-kit";
import { startFakeGoogleOidc, type FakeGoogleOidc } from "@/tests/fakes/google-oidc";
import { envForFile } from "@/tests/setup/config-env";
import { POST } from "./route";

// The push endpoint over HTTP: Pub/Sub's request in, the status Pub/Sub acts on out (2xx = done,
// anything else = redeliver later), through the real handler wrapper.

const background = vi.hoisted(() => ({ sent: [] as string[] }));
vi.mock("@/inngest/dispatch", () => ({
  dispatchBackground: async (events: { data: { notificationId: string } }[]) => void background.sent.push(...events.map((e) => e.data.notificationId)),
}));

let oidc: FakeGoogleOidc;
beforeAll(async () => {
  oidc = await startFakeGoogleOidc();
  await autocommit().emailAccount.create({ data: { id: newId("eml"), emailAddress: "route@example.com", scopes: [], status: "connected" } });
});
envForFile(async () => pushEnv(oidc.certsUrl));
afterAll(() => oidc.close());
beforeEach(() => void (background.sent.length = 0));

async function post(body: string, headers: Record<string, string>) {
  const req = new NextRequest("http://localhost/api/gmail/push", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const res = await POST(req, { params: Promise.resolve({}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, requestId: res.headers.get("x-request-id") };
}

describe("POST /api/gmail/push", () => {
  it("answers 202 to a signed push, then 200 to its redelivery, with the request id", async () => {
    const body = pushBody({ emailAddress: "route@example.com", historyId: 4242 });
    const first = await post(body, { authorization: `Bearer ${oidc.sign(pushClaims())}`, "x-request-id": "req-push-0001" });
    expect(first).toMatchObject({ status: 202, json: { status: "received", requestId: "req-push-0001" }, requestId: "req-push-0001" });
    expect(background.sent).toEqual([first.json.notificationId]);

    const again = await post(body, { authorization: `Bearer ${oidc.sign(pushClaims())}` });
    expect(again).toMatchObject({ status: 200, json: { duplicate: true, notificationId: first.json.notificationId } });
    expect(background.sent).toHaveLength(1);
  });

  it("maps refusals to the statuses Pub/Sub retries on, in the usual error body", async () => {
    const body = pushBody({ emailAddress: "route@example.com", historyId: 1 });
    const unsigned = await post(body, {});
    expect(unsigned.status).toBe(401);
    expect(unsigned.json).toMatchObject({ error: { code: "unauthorized" }, requestId: unsigned.requestId });

    const broken = await post("[]", { authorization: `Bearer ${oidc.sign(pushClaims())}` });
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ error: { code: "bad_request" } });
    expect(background.sent).toEqual([]);
  });
});
