import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { GmailProvider, type GmailProviderOptions, type RefreshedTokens } from "./gmail-provider";
import { HistoryExpiredError, isHistoryExpired } from "./provider";

// The real googleapis client and google-auth-library OAuth2 client against the fake Gmail server.

let fake: FakeGmail;
let counter = 0;

beforeAll(async () => {
  fake = await startFakeGmail();
});
afterAll(() => fake.close());

function mail(subject: string, from = "alice@example.org"): string {
  counter++;
  return [
    `From: Alice <${from}>`,
    `To: ${fake.email}`,
    `Subject: ${subject}`,
    "Date: Sat, 21 Nov 2026 09:00:00 +0000",
    `Message-ID: <m${counter}@example.org>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Hello, this is ${subject}. Ünïcode stays intact.`,
    "",
  ].join("\r\n");
}

function connect(overrides: Partial<GmailProviderOptions> = {}) {
  const tokens = fake.issueTokens();
  const refreshed: RefreshedTokens[] = [];
  const provider = new GmailProvider({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    endpoints: { gmailRootUrl: fake.url, tokenUrl: fake.tokenUrl, revokeUrl: fake.revokeUrl },
    tokens,
    onTokens: (t) => void refreshed.push(t),
    retries: 0,
    ...overrides,
  });
  return { provider, tokens, refreshed };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("GmailProvider against the fake Gmail API", () => {
  it("reads the profile with the account's current history id", async () => {
    const { provider } = connect();
    fake.addMessage(mail("profile"));
    const profile = await provider.getProfile();
    expect(profile.emailAddress).toBe(fake.email);
    expect(profile.historyId).toBe(String(fake.historyId()));
    expect(profile.messagesTotal).toBeGreaterThan(0);
  });

  it("lists message ids page by page, newest first, and can stop and resume", async () => {
    const { provider } = connect();
    // Received "in an hour", so messages other tests added now fall before `since`.
    const since = new Date(Date.now() + 3_000_000);
    fake.addMessage(mail("old"), ["INBOX"], { internalDate: Date.now() - 10 * 86_400_000 });
    const recent = [1, 2, 3, 4, 5, 6, 7].map((i) => fake.addMessage(mail(`recent ${i}`), ["INBOX"], { internalDate: Date.now() + 3_600_000 + i }));
    const before = fake.requests.length;

    const all = await provider.listMessageIds({ since, pageSize: 3 });
    expect(all.messages.map((m) => m.id)).toEqual(recent.map((m) => m.id).reverse());
    expect(all.nextPageToken).toBeNull();
    const listCalls = fake.requests.slice(before).filter((r) => r.path.endsWith("/messages"));
    expect(listCalls).toHaveLength(3);
    expect(listCalls[0]!.query.q).toBe(`after:${Math.floor(since.getTime() / 1000)}`);

    const first = await provider.listMessageIds({ since, pageSize: 3, maxPages: 2 });
    expect(first.messages).toHaveLength(6);
    expect(first.nextPageToken).not.toBeNull();
    const rest = await provider.listMessageIds({ since, pageSize: 3, pageToken: first.nextPageToken! });
    expect([...first.messages, ...rest.messages]).toEqual(all.messages);
  });

  it("fetches raw messages byte for byte in parallel, reporting deleted ones as missing", async () => {
    const { provider } = connect({ concurrency: 3 });
    const added = [1, 2, 3, 4, 5].map((i) => fake.addMessage(mail(`raw ${i}`), ["INBOX", "UNREAD"]));
    const ids = [added[0]!.id, "0000deadbeef0000", ...added.slice(1).map((m) => m.id)];
    const before = fake.requests.length;

    const batch = await provider.getRawMessages(ids);
    expect(batch.missing).toEqual(["0000deadbeef0000"]);
    expect(batch.messages.map((m) => m.id)).toEqual(added.map((m) => m.id));
    for (const [i, message] of batch.messages.entries()) {
      expect(message.raw.equals(added[i]!.raw)).toBe(true);
      expect(message.labelIds).toEqual(["INBOX", "UNREAD"]);
      expect(message.receivedAt.getTime()).toBe(added[i]!.internalDate);
    }
    const gets = fake.requests.slice(before);
    expect(gets).toHaveLength(6);
    expect(gets.every((r) => r.query.format === "raw")).toBe(true);
  });

  it("keeps at most `concurrency` message fetches in flight", async () => {
    const slow = await startFakeGmail({ latencyMs: 15 });
    try {
      const ids = Array.from({ length: 12 }, (_, i) => slow.addMessage(`Subject: ${i}\r\n\r\nbody`).id);
      const provider = new GmailProvider({
        clientId: slow.clientId,
        clientSecret: slow.clientSecret,
        endpoints: { gmailRootUrl: slow.url, tokenUrl: slow.tokenUrl },
        tokens: slow.issueTokens(),
        concurrency: 4,
      });
      const batch = await provider.getRawMessages(ids);
      expect(batch.messages.map((m) => m.id)).toEqual(ids);
      expect(slow.peakInFlight()).toBe(4);
    } finally {
      await slow.close();
    }
  });

  it("spaces message fetches out to messagesPerSecond, to stay under Gmail's quota", async () => {
    const { provider } = connect({ concurrency: 8, messagesPerSecond: 20 });
    const ids = Array.from({ length: 6 }, (_, i) => fake.addMessage(mail(`paced ${i}`)).id);
    const before = fake.requests.length;
    const started = performance.now();
    await provider.getRawMessages(ids);
    // Six gets 50 ms apart: the last one starts 250 ms after the first, whatever the concurrency.
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(fake.requests.length - before).toBe(6);
  });

  it("lists labels and creates a missing one only once, whatever its case", async () => {
    const { provider } = connect();
    expect((await provider.getLabels()).find((l) => l.id === "INBOX")).toEqual({ id: "INBOX", name: "INBOX", type: "system" });
    const before = fake.requests.length;
    const created = await provider.ensureLabel("Triage/Newsletters");
    expect(created).toMatchObject({ name: "Triage/Newsletters", type: "user" });
    expect(await provider.ensureLabel("triage/newsletters")).toEqual(created);
    expect(fake.requests.slice(before).filter((r) => r.method === "POST")).toHaveLength(1);
    expect(fake.labels().some((l) => l.id === created.id)).toBe(true);
  });

  it("settles on one label when two syncs create it at the same time", async () => {
    const [a, b] = [connect().provider, connect().provider];
    const before = fake.requests.length;
    const [first, second] = await Promise.all([a.ensureLabel("Triage/Race"), b.ensureLabel("Triage/Race")]);
    expect(second).toEqual(first);
    expect(fake.labels().filter((l) => l.name === "Triage/Race")).toHaveLength(1);
    expect(fake.requests.slice(before).filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("changes labels on one message and on many", async () => {
    const { provider } = connect();
    const label = await provider.ensureLabel("Triage/Receipts");
    const [a, b, c] = [1, 2, 3].map((i) => fake.addMessage(mail(`label ${i}`), ["INBOX", "UNREAD"]));
    expect(fake.message(a!.id)!.labelIds).toEqual(["INBOX", "UNREAD"]);

    expect(await provider.modifyLabels(a!.id, [label.id], ["INBOX"])).toEqual(["UNREAD", label.id]);
    expect(fake.message(a!.id)!.labelIds).toEqual(["UNREAD", label.id]);

    await provider.modifyLabelsMany([b!.id, c!.id], [label.id], ["UNREAD"]);
    expect(fake.message(b!.id)!.labelIds).toEqual(["INBOX", label.id]);
    expect(fake.message(c!.id)!.labelIds).toEqual(["INBOX", label.id]);

    const error = await caught(provider.modifyLabels("0000deadbeef0000", [label.id], []));
    expect(error.code).toBe("not_found");
  });

  it("reports messages added and label changes since a history id", async () => {
    const { provider } = connect();
    const label = await provider.ensureLabel("Triage/Updates");
    const start = (await provider.getProfile()).historyId;
    const a = fake.addMessage(mail("history a"));
    const b = fake.addMessage(mail("history b"));
    await provider.modifyLabels(a.id, [label.id], ["INBOX"]);
    await provider.modifyLabels(b.id, [], ["UNREAD"]);

    const changes = await provider.listHistory(start);
    expect(changes.addedMessageIds).toEqual([a.id, b.id]);
    expect(changes.labelChanges).toEqual([
      { messageId: a.id, added: [label.id], removed: [] },
      { messageId: a.id, added: [], removed: ["INBOX"] },
      { messageId: b.id, added: [], removed: ["UNREAD"] },
    ]);
    expect(changes.historyId).toBe(String(fake.historyId()));

    const none = await provider.listHistory(changes.historyId);
    expect(none).toEqual({ historyId: changes.historyId, addedMessageIds: [], labelChanges: [] });
  });

  it("follows history pages", async () => {
    const { provider } = connect();
    const start = (await provider.getProfile()).historyId;
    const added = Array.from({ length: 520 }, (_, i) => fake.addMessage(mail(`page ${i}`)).id);
    const before = fake.requests.length;
    const changes = await provider.listHistory(start);
    expect(changes.addedMessageIds).toEqual(added);
    expect(fake.requests.slice(before).map((r) => r.query.pageToken ?? null)).toEqual([null, "500"]);
  });

  it("throws HistoryExpiredError when the start id is older than the history Gmail keeps", async () => {
    const { provider } = connect();
    const start = (await provider.getProfile()).historyId;
    fake.addMessage(mail("after start"));
    fake.expireHistory();
    const error = await caught(provider.listHistory(start));
    expect(error).toBeInstanceOf(HistoryExpiredError);
    expect(isHistoryExpired(error)).toBe(true);
    expect((error as HistoryExpiredError).startHistoryId).toBe(start);
    // From the current id on, history works again.
    expect((await provider.listHistory((await provider.getProfile()).historyId)).addedMessageIds).toEqual([]);
  });

  it("refreshes an access token Gmail stopped accepting and hands the new one to the callback", async () => {
    const { provider, tokens, refreshed } = connect();
    await provider.getProfile();
    fake.expireAccessTokens();
    const grantsBefore = fake.tokenRequests.length;

    expect((await provider.getProfile()).emailAddress).toBe(fake.email);
    expect(fake.tokenRequests.slice(grantsBefore).map((r) => r.grantType)).toEqual(["refresh_token"]);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed[0]!.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed[0]!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const last = fake.requests.at(-1)!;
    expect(last.authorization).toBe(`Bearer ${refreshed[0]!.accessToken}`);

    // The new token is used from then on: no further refresh.
    await provider.getLabels();
    expect(refreshed).toHaveLength(1);
  });

  it("refreshes before calling when the stored token has already expired", async () => {
    const tokens = fake.issueTokens();
    const onTokens = vi.fn();
    const { provider } = connect({ tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(Date.now() - 1000) }, onTokens });
    const before = fake.requests.length;
    await provider.getProfile();
    expect(onTokens).toHaveBeenCalledTimes(1);
    expect(fake.requests.slice(before).map((r) => r.authorization)).toEqual([`Bearer ${(onTokens.mock.calls[0]![0] as RefreshedTokens).accessToken}`]);
  });

  it("stores a refreshed token before the call that refreshed it returns, and surfaces a failed store", async () => {
    const stored: string[] = [];
    const { provider } = connect({
      onTokens: async (t) => {
        await new Promise((r) => setTimeout(r, 20));
        stored.push(t.accessToken);
      },
    });
    fake.expireAccessTokens();
    await provider.getProfile();
    expect(stored).toHaveLength(1);

    const { provider: failing } = connect({
      onTokens: () => {
        throw new Error("database is down");
      },
    });
    fake.expireAccessTokens();
    await expect(failing.getProfile()).rejects.toThrow("database is down");
  });

  it("says the account must be reconnected when the refresh token was revoked, without showing any token", async () => {
    const { provider, tokens } = connect();
    fake.expireAccessTokens();
    fake.revokeRefreshToken(tokens.refreshToken);
    const error = await caught(provider.getProfile());
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/refused the stored Gmail authorization .*connect the account again/);
    expect(fake.tokenRequests.at(-1)!.grantType).toBe("refresh_token");
    const shown = `${error.message} ${JSON.stringify(error)} ${String(error.stack)} ${String(error.cause)}`;
    expect(shown).not.toContain(tokens.accessToken);
    expect(shown).not.toContain(tokens.refreshToken);
    expect(shown).not.toContain("ya29.");
  });

  it("maps Gmail failures to clear errors and retries idempotent calls when asked", async () => {
    const { provider } = connect();
    fake.failNext(500);
    expect((await caught(provider.getLabels())).code).toBe("bad_gateway");
    fake.failNext(429);
    const limited = await caught(provider.getLabels());
    expect(limited.code).toBe("rate_limited");
    expect(limited.status).toBe(429);

    const { provider: retrying } = connect({ retries: 1 });
    fake.failNext(503);
    expect((await retrying.getLabels()).length).toBeGreaterThan(0);
  });

  it("starts and stops push notifications", async () => {
    const { provider } = connect();
    const watch = await provider.watch("projects/demo/topics/gmail", ["INBOX"]);
    expect(watch.historyId).toBe(String(fake.historyId()));
    expect(watch.expiresAt.getTime()).toBeGreaterThan(Date.now() + 86_400_000);
    expect(fake.watchOf()).toMatchObject({ topicName: "projects/demo/topics/gmail", labelIds: ["INBOX"] });
    expect((await caught(provider.watch("not-a-topic"))).code).toBe("bad_gateway");
    await provider.stop();
    expect(fake.watchOf()).toBeNull();
  });
});
