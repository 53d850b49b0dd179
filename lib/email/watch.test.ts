import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { googleEnv, startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { envForFile, withEnv } from "@/tests/setup/config-env";
import { connectGmailAccount, disconnectAccount, listAccounts, type EmailAccountDto } from "./accounts";
import { renewDueWatches, renewWatch, stopWatch, watchHealth } from "./watch";

// users.watch renewals against this file's database and the fake Gmail API, configured the way
// the cron runs them: Google's endpoints and the topic come from the environment.

const TOPIC = "projects/example-project/topics/gmail-push";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let fake: FakeGmail;
beforeAll(async () => {
  fake = await startFakeGmail();
});
afterAll(() => fake.close());
envForFile(() => ({ ...googleEnv(fake), GMAIL_PUBSUB_TOPIC: TOPIC }));

const connect = (email: string) => connectGmailAccount({ code: fake.issueCode(email), redirectUri: "http://localhost:3000/api/email/oauth/callback" });
const accountRow = (id: string) => autocommit().emailAccount.findUniqueOrThrow({ where: { id } });
const setWatch = (id: string, data: { watchRenewedAt: Date | null; watchExpiration: Date | null; watchError?: string | null }) =>
  autocommit().emailAccount.update({ where: { id }, data });
const watchCalls = () => fake.requests.filter((r) => r.path.endsWith("/watch")).length;

// Each test starts with every account renewed an hour ago and a week to go: nothing due.
beforeEach(async () => {
  const now = Date.now();
  await autocommit().emailAccount.updateMany({ data: { watchRenewedAt: new Date(now - HOUR), watchExpiration: new Date(now + 6 * DAY), watchError: null } });
});

describe("renewDueWatches", () => {
  it("renews exactly the watches that are due, on the inbox, and records their expiration", async () => {
    const now = new Date();
    const [never, fresh, expiring, stale, gone] = await Promise.all(
      ["never@example.com", "fresh@example.com", "expiring@example.com", "stale@example.com", "gone@example.com"].map(connect),
    );
    await setWatch(fresh!.id, { watchRenewedAt: new Date(now.getTime() - 2 * HOUR), watchExpiration: new Date(now.getTime() + 6 * DAY) });
    await setWatch(never!.id, { watchRenewedAt: null, watchExpiration: null });
    await setWatch(expiring!.id, { watchRenewedAt: new Date(now.getTime() - 2 * HOUR), watchExpiration: new Date(now.getTime() + 40 * HOUR) });
    await setWatch(stale!.id, { watchRenewedAt: new Date(now.getTime() - 24 * HOUR), watchExpiration: new Date(now.getTime() + 5 * DAY) });
    await setWatch(gone!.id, { watchRenewedAt: null, watchExpiration: null });
    await disconnectAccount(gone!.id);
    const before = watchCalls();

    expect(await renewDueWatches({ now })).toEqual({ renewed: 3, failed: 0 });
    expect(watchCalls() - before).toBe(3);

    for (const account of [never!, expiring!, stale!]) {
      const watch = fake.watchOf(account.emailAddress);
      expect(watch).toMatchObject({ topicName: TOPIC, labelIds: ["INBOX"] });
      const row = await accountRow(account.id);
      expect(row.watchExpiration?.getTime()).toBe(watch!.expiration);
      expect(row.watchRenewedAt).toEqual(now);
      expect(row.watchError).toBeNull();
    }
    expect(fake.watchOf(fresh!.emailAddress)).toBeNull();
    expect(fake.watchOf(gone!.emailAddress)).toBeNull();
    expect((await accountRow(fresh!.id)).watchRenewedAt!.getTime()).toBeLessThan(now.getTime());

    // Renewed: nothing is due any more.
    expect(await renewDueWatches()).toEqual({ renewed: 0, failed: 0 });
  });

  it("records why a renewal failed, keeps the old expiration, carries on with the others and retries next time", async () => {
    // Renewed in id order: `first` meets the scripted failure, `second` renews after it.
    const first = await connect("failing@example.com");
    const second = await connect("healthy@example.com");
    const oldExpiration = new Date(Date.now() + 30 * HOUR);
    await setWatch(first.id, { watchRenewedAt: new Date(Date.now() - 25 * HOUR), watchExpiration: oldExpiration });
    await setWatch(second.id, { watchRenewedAt: null, watchExpiration: null });
    // Twice: google-auth-library refreshes the token and retries once on a 403.
    fake.failNext(403, 2);

    expect(await renewDueWatches()).toEqual({ renewed: 1, failed: 1 });
    const failed = await accountRow(first.id);
    expect(failed.watchError).toMatch(/^Gmail push notifications could not be renewed: Gmail refused starting push notifications/);
    expect(failed.watchError).toContain(`gmail-api-push@system.gserviceaccount.com has the Pub/Sub Publisher role on ${TOPIC}`);
    expect(failed.watchError).not.toMatch(/ya29\.|1\/\//);
    expect(failed.watchExpiration).toEqual(oldExpiration);
    expect((await accountRow(second.id)).watchExpiration).not.toBeNull();

    expect(await renewDueWatches()).toEqual({ renewed: 1, failed: 0 });
    expect((await accountRow(first.id)).watchError).toBeNull();
  });

  it("does nothing when no Pub/Sub topic is configured", async () => {
    const account = await connect("unconfigured@example.com");
    await setWatch(account.id, { watchRenewedAt: null, watchExpiration: null });
    const before = watchCalls();
    await withEnv({ GMAIL_PUBSUB_TOPIC: undefined }, async () => {
      expect(await renewDueWatches()).toEqual({ renewed: 0, failed: 0, skipped: "not_configured" });
      expect(await renewWatch(account.id)).toEqual({ status: "not_configured", accountId: account.id });
    });
    expect(watchCalls()).toBe(before);
    expect((await accountRow(account.id)).watchRenewedAt).toBeNull();
  });
});

describe("renewWatch and stopWatch", () => {
  it("returns a failure instead of throwing, and refuses an unknown account", async () => {
    const account = await connect("direct@example.com");
    fake.failNext(500); // users.watch is a POST: not retried
    const result = await renewWatch(account.id);
    expect(result).toMatchObject({ status: "failed", accountId: account.id, error: expect.stringContaining("Gmail failed while starting push notifications (HTTP 500)") });
    expect((await accountRow(account.id)).watchError).toBe((result as { error: string }).error);

    await expect(renewWatch("eml_doesnotexist")).rejects.toMatchObject({ code: "not_found" });
  });

  it("stops the watch before a disconnect, best effort", async () => {
    const account = await connect("stopping@example.com");
    expect(await renewWatch(account.id)).toMatchObject({ status: "renewed" });
    expect(fake.watchOf(account.emailAddress)).not.toBeNull();

    expect(await stopWatch(account.id)).toBe(true);
    expect(fake.watchOf(account.emailAddress)).toBeNull();
    expect((await accountRow(account.id)).watchExpiration).toBeNull();

    await disconnectAccount(account.id);
    expect(await stopWatch(account.id)).toBe(false); // no tokens left: nothing to stop, nothing thrown
    expect((await listAccounts("operator")).find((a) => a.id === account.id)?.status).toBe("disconnected");
  });
});

describe("watchHealth", () => {
  const now = new Date("2026-11-21T12:00:00Z");
  const config = { GMAIL_PUBSUB_TOPIC: TOPIC, GMAIL_POLL_MINUTES: 5 };
  const account = (overrides: Partial<EmailAccountDto> = {}): EmailAccountDto => ({
    id: "eml_health",
    emailAddress: "health@example.com",
    provider: "gmail",
    status: "connected",
    lastError: null,
    scopes: [],
    historyId: "1",
    watchExpiration: "2026-11-26T12:00:00.000Z",
    watchRenewedAt: "2026-11-21T06:00:00.000Z",
    watchError: null,
    lastSyncAt: null,
    createdBy: null,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-21T06:00:00.000Z",
    ...overrides,
  });

  it("is ok while the watch runs for more than a day", () => {
    expect(watchHealth(account(), now, config)).toEqual({ state: "ok", message: "Push notifications are active until 2026-11-26 12:00 UTC." });
  });

  it("warns when the watch expires within a day", () => {
    expect(watchHealth(account({ watchExpiration: "2026-11-22T06:00:00.000Z" }), now, config)).toMatchObject({
      state: "expiring",
      message: expect.stringContaining("expire at 2026-11-22 06:00 UTC"),
    });
  });

  it("says failing, with the reason, when the last renewal failed but the watch still runs", () => {
    const health = watchHealth(account({ watchError: "Gmail push notifications could not be renewed: Gmail timed out." }), now, config);
    expect(health.state).toBe("failing");
    expect(health.message).toContain("Gmail timed out");
    expect(health.message).toContain("until 2026-11-26 12:00 UTC");
  });

  it("says lapsed when the watch expired or was never set, and how mail arrives meanwhile", () => {
    const expired = watchHealth(account({ watchExpiration: "2026-11-21T11:59:00.000Z", watchError: "Gmail push notifications could not be renewed: no." }), now, config);
    expect(expired.state).toBe("lapsed");
    expect(expired.message).toContain("lapsed at 2026-11-21 11:59 UTC");
    expect(expired.message).toContain("every 5 minutes");
    expect(expired.message).toContain("could not be renewed: no.");
    expect(watchHealth(account({ watchExpiration: null, watchRenewedAt: null }), now, config).state).toBe("lapsed");
  });

  it("says not configured without a topic, with the polling interval or that there is none", () => {
    expect(watchHealth(account({ watchExpiration: null }), now, { GMAIL_PUBSUB_TOPIC: undefined, GMAIL_POLL_MINUTES: 5 })).toEqual({
      state: "not_configured",
      message: "Push notifications are off (GMAIL_PUBSUB_TOPIC is not set); mail is checked every 5 minutes instead.",
    });
    expect(watchHealth(account(), now, { GMAIL_PUBSUB_TOPIC: undefined, GMAIL_POLL_MINUTES: 0 }).message).toContain("mail is not checked automatically (GMAIL_POLL_MINUTES is 0)");
    expect(watchHealth(account(), now, { GMAIL_PUBSUB_TOPIC: undefined, GMAIL_POLL_MINUTES: 1 }).message).toContain("every minute instead");
  });

  it("says disconnected for a disconnected account, whatever its watch", () => {
    expect(watchHealth(account({ status: "disconnected" }), now, config).state).toBe("disconnected");
    expect(watchHealth(account({ status: "disconnected" }), now, { GMAIL_PUBSUB_TOPIC: undefined, GMAIL_POLL_MINUTES: 5 }).state).toBe("disconnected");
  });

  it("says failing for an account whose authorization broke, while its watch still runs", () => {
    expect(watchHealth(account({ status: "error", lastError: "Google refused the stored Gmail authorization" }), now, config)).toMatchObject({
      state: "failing",
      message: expect.stringContaining("Google refused the stored Gmail authorization"),
    });
  });
});
