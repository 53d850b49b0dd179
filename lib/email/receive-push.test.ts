import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { configureLogging } from "@/lib/logger";
import { startFakeGoogleOidc, type FakeGoogleOidc } from "@/tests/fakes/google-oidc";
import { envForFile, withEnv } from "@/tests/setup/config-env";
import { listRecentNotifications, markNotification, findNotificationsToRedispatch } from "./notifications.repository";
import { pushBody, pushClaims, pushEnv } from "./push-test-kit";
import { receivePush } from "./receive-push";

// Gmail push, verify → persist → dispatch, against this file's database and a fake Google signer.
// The background hand-off is a recorder that reads the database when called, to prove the
// notification was committed before it was dispatched.

const background = vi.hoisted(() => ({ calls: [] as { name: string; notificationId: string; statusSeen: string | null }[] }));
vi.mock("@/inngest/dispatch", () => ({
  dispatchBackground: async (events: { name: string; data: { notificationId: string } }[]) => {
    const { autocommit: db } = await import("@/lib/db/transaction");
    for (const event of events) {
      const row = await db().gmailNotification.findUnique({ where: { id: event.data.notificationId } });
      background.calls.push({ name: event.name, notificationId: event.data.notificationId, statusSeen: row?.status ?? null });
    }
  },
}));

let oidc: FakeGoogleOidc;
const logs: string[] = [];
const tokens: string[] = [];

beforeAll(async () => {
  oidc = await startFakeGoogleOidc();
  configureLogging({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
});
envForFile(async () => pushEnv(oidc.certsUrl));
afterAll(async () => {
  expect(logs.length).toBeGreaterThan(0);
  for (const token of tokens) expect(logs.join("\n")).not.toContain(token);
  configureLogging({});
  await oidc.close();
});
beforeEach(() => {
  background.calls.length = 0;
});

async function makeAccount(emailAddress: string, status = "connected") {
  return autocommit().emailAccount.create({ data: { id: newId("eml"), emailAddress, scopes: [], status } });
}

function bearer(claims = pushClaims(), options?: Parameters<FakeGoogleOidc["sign"]>[1]): string {
  const token = oidc.sign(claims, options);
  tokens.push(token);
  return `Bearer ${token}`;
}

async function push(body: string, authorization: string | null = bearer()) {
  const headers = new Headers({ "content-type": "application/json" });
  if (authorization !== null) headers.set("authorization", authorization);
  return receivePush({ headers, rawBody: Buffer.from(body), requestId: `req_${randomUUID().slice(0, 8)}` });
}

async function refused(body: string, authorization: string | null = bearer()): Promise<AppError> {
  const error = await push(body, authorization).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const countNotifications = () => autocommit().gmailNotification.count();
const findNotification = (id: string) => autocommit().gmailNotification.findUniqueOrThrow({ where: { id } });

describe("receivePush", () => {
  it("stores a verified push, then dispatches it once", async () => {
    const account = await makeAccount("inbox@example.com");
    const body = pushBody({ emailAddress: "Inbox@Example.com", historyId: 987654 }, { messageId: "1001", publishTime: "2026-11-21T10:00:00.123Z" });
    const result = await push(body);

    expect(result.status).toBe(202);
    expect(result.body).toMatchObject({ status: "received" });
    const notificationId = (result.body as { notificationId: string }).notificationId;
    expect(notificationId).toMatch(/^gpn_[0-9a-z]{26}$/);
    expect(await findNotification(notificationId)).toMatchObject({
      pubsubMessageId: "1001",
      emailAddress: "inbox@example.com",
      historyId: "987654",
      accountId: account.id,
      status: "received",
      attempts: 0,
      publishedAt: new Date("2026-11-21T10:00:00.123Z"),
      processedAt: null,
    });
    // Handed off after the commit: the dispatcher saw the row.
    expect(background.calls).toEqual([{ name: "gmail/notification.received", notificationId, statusSeen: "received" }]);
  });

  it("accepts historyId as a string of digits", async () => {
    await makeAccount("strings@example.com");
    const result = await push(pushBody({ emailAddress: "strings@example.com", historyId: "12345678901234" }));
    expect(result.status).toBe(202);
    const { notificationId } = result.body as { notificationId: string };
    expect((await findNotification(notificationId)).historyId).toBe("12345678901234");
  });

  it("stores a redelivered Pub/Sub message once and does not dispatch it again", async () => {
    await makeAccount("twice@example.com");
    const body = pushBody({ emailAddress: "twice@example.com", historyId: 55 }, { messageId: "2002" });
    const first = await push(body);
    const before = await countNotifications();
    const again = await push(body, bearer());

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, notificationId: (first.body as { notificationId: string }).notificationId, status: "received" });
    expect(await countNotifications()).toBe(before);
    expect(background.calls).toHaveLength(1);
  });

  it("stores a push for an unknown or disconnected address as ignored, answers 200 and dispatches nothing", async () => {
    const unknown = await push(pushBody({ emailAddress: "stranger@example.com", historyId: 1 }));
    expect(unknown).toMatchObject({ status: 200, body: { status: "ignored" } });
    expect(await findNotification((unknown.body as { notificationId: string }).notificationId)).toMatchObject({ accountId: null, status: "ignored" });

    const gone = await makeAccount("gone@example.com", "disconnected");
    const disconnected = await push(pushBody({ emailAddress: "gone@example.com", historyId: 2 }));
    expect(disconnected).toMatchObject({ status: 200, body: { status: "ignored" } });
    expect(await findNotification((disconnected.body as { notificationId: string }).notificationId)).toMatchObject({ accountId: gone.id, status: "ignored" });
    expect(background.calls).toEqual([]);
  });

  describe("stores nothing and dispatches nothing when the request is not verified", () => {
    let body: string;
    beforeAll(async () => {
      await makeAccount("guarded@example.com");
      body = pushBody({ emailAddress: "guarded@example.com", historyId: 77 });
    });

    it.each([
      ["no Authorization header", () => null, 401],
      ["a forged signature", () => bearer(pushClaims(), { key: oidc.unpublishedKey() }), 401],
      ["another audience", () => bearer(pushClaims({ aud: "https://elsewhere.example.com/push" })), 401],
      ["an expired token", () => bearer(pushClaims({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 })), 401],
    ])("%s → %i", async (_, authorization, status) => {
      const before = await countNotifications();
      expect((await refused(body, authorization())).status).toBe(status);
      expect(await countNotifications()).toBe(before);
      expect(background.calls).toEqual([]);
    });

    it("push not configured → 503", async () => {
      const before = await countNotifications();
      const error = await withEnv({ GMAIL_PUSH_SERVICE_ACCOUNT: undefined }, () => refused(body));
      expect(error).toMatchObject({ code: "unavailable", status: 503 });
      expect(await countNotifications()).toBe(before);
      expect(background.calls).toEqual([]);
    });

    it("Google's certificates unreachable → 503", async () => {
      const before = await countNotifications();
      const authorization = bearer();
      oidc.failWith(500);
      try {
        expect(await refused(body, authorization)).toMatchObject({ code: "unavailable", status: 503 });
      } finally {
        oidc.failWith(null);
      }
      expect(await countNotifications()).toBe(before);
      expect(background.calls).toEqual([]);
    });

    it("is checked before the body: a malformed body without a token is a 401, not a 400", async () => {
      expect((await refused("not json", null)).status).toBe(401);
    });
  });

  it.each([
    ["a body that is not JSON", "{oops", /the body is not JSON/],
    ["no message", JSON.stringify({ subscription: "projects/p/subscriptions/s" }), /envelope is invalid \(message: /],
    ["no message id", JSON.stringify({ message: { data: Buffer.from('{"emailAddress":"a@example.com","historyId":1}').toString("base64") } }), /messageId is required/],
    ["data that is not base64", JSON.stringify({ message: { data: "%%%", messageId: "1" } }), /must be base64/],
    ["data that is not JSON", JSON.stringify({ message: { data: Buffer.from("hello").toString("base64"), messageId: "1" } }), /not base64-encoded JSON/],
    ["no historyId", pushBody({ emailAddress: "a@example.com" } as never), /historyId/],
    ["a historyId that is not a number", pushBody({ emailAddress: "a@example.com", historyId: "12abc" }), /historyId/],
    ["an emailAddress that is not one", pushBody({ emailAddress: "nobody", historyId: 1 }), /emailAddress/],
  ])("refuses %s with 400 and a clear message, storing nothing", async (_, body, message) => {
    const before = await countNotifications();
    const error = await refused(body);
    expect(error).toMatchObject({ code: "bad_request", status: 400 });
    expect(error.message).toMatch(/^Not a Gmail push notification from Pub\/Sub: /);
    expect(error.message).toMatch(message);
    expect(await countNotifications()).toBe(before);
  });
});

describe("notifications repository", () => {
  it("finds received notifications left undispatched, marks outcomes and lists them newest first", async () => {
    const account = await makeAccount("repo@example.com");
    const { body } = await push(pushBody({ emailAddress: "repo@example.com", historyId: 10 }));
    const { notificationId } = body as { notificationId: string };

    const later = new Date(Date.now() + 5 * 60_000);
    expect((await findNotificationsToRedispatch(autocommit(), 60_000, later)).map((n) => n.id)).toContain(notificationId);
    expect((await findNotificationsToRedispatch(autocommit(), 60_000)).map((n) => n.id)).not.toContain(notificationId);

    const marked = await markNotification(autocommit(), notificationId, { status: "processed", syncRunId: "tsr_example" });
    expect(marked).toMatchObject({ status: "processed", syncRunId: "tsr_example", error: null, attempts: 1 });
    expect(marked.processedAt).toBeInstanceOf(Date);
    expect((await findNotificationsToRedispatch(autocommit(), 60_000, later)).map((n) => n.id)).not.toContain(notificationId);

    const failed = await markNotification(autocommit(), notificationId, { status: "failed", error: "Gmail timed out" });
    expect(failed).toMatchObject({ status: "failed", syncRunId: "tsr_example", error: "Gmail timed out", attempts: 2 });

    const { body: second } = await push(pushBody({ emailAddress: "repo@example.com", historyId: 11 }));
    const recent = await listRecentNotifications(autocommit(), { accountId: account.id, limit: 10 });
    expect(recent.map((n) => n.id)).toEqual([(second as { notificationId: string }).notificationId, notificationId]);
  });
});
