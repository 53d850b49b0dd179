import { createOpenAI } from "@ai-sdk/openai";
import { describe, expect, it } from "vitest";
import { RetryLater } from "@/lib/background/retry-later";
import { autocommit } from "@/lib/db/transaction";
import { gmailProviderFor } from "@/lib/email/accounts";
import { newId } from "@/lib/ids";
import { processNotification } from "./notifications";
import { listActions } from "./read-triage";
import { saveCategorySetting, DEFAULT_CATEGORY_SETTINGS } from "./settings";
import { executeSyncRun } from "./sync";
import { acquireSyncLease, releaseSyncLease } from "./sync-lease";
import { findSyncRunsToRedispatch, insertSyncRun } from "./sync-runs";
import { mailFixture, triageKitForFile, variantOf, type MailFixture } from "./test-kit";
import { startFakeOpenAI } from "@/tests/fakes/openai-server";
import { withEnv } from "@/tests/setup/config-env";

// The sync engine against the fake Gmail API through the real googleapis client: backfill, push →
// incremental, expired history → bounded full sync, duplicates processed once, thresholds, and
// the action log's before/after labels.

const kit = triageKitForFile();

const messagesOf = (accountId: string) => autocommit().triagedMessage.findMany({ where: { accountId }, orderBy: { receivedAt: "asc" } });
const actionsOf = (accountId: string) => autocommit().triageAction.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });
const labelId = (email: string, name: string) => kit.fake().labels(email).find((l) => l.name === name)?.id;

async function notify(email: string, historyId: number, pubsubMessageId = newId("gpn")) {
  const account = await autocommit().emailAccount.findUnique({ where: { emailAddress: email } });
  const row = await autocommit().gmailNotification.create({
    data: { id: newId("gpn"), pubsubMessageId, emailAddress: email, historyId: String(historyId), accountId: account?.id ?? null },
  });
  return row.id;
}

function deliver(email: string, fixtures: MailFixture[]) {
  return kit.fake().addMessages(fixtures.map(mailFixture), ["INBOX", "UNREAD"], { email });
}

describe("backfill", () => {
  it("triages recent inbox mail, applies actions above the threshold, queues the rest for review, and logs every change", async () => {
    const account = await kit.connect();
    const [newsletter, invoice, github, personal] = deliver(account.emailAddress, ["newsletter", "invoice", "github-notification", "personal"]);
    kit.fake().addMessage(mailFixture("paypal-receipt"), ["SENT"], { email: account.emailAddress }); // not inbox mail

    const run = await kit.sync(account.id, "backfill");

    expect(run).toMatchObject({ status: "succeeded", kind: "backfill", total: 4, processed: 4, autoApplied: 3, queuedForReview: 1, stageOneDecided: 3, modelCalls: 0 });
    const rows = await messagesOf(account.id);
    const byGmailId = new Map(rows.map((r) => [r.gmailMessageId, r]));
    expect(byGmailId.get(newsletter!.id)).toMatchObject({ category: "newsletters", stage: "learned", status: "applied" });
    expect(byGmailId.get(invoice!.id)).toMatchObject({ category: "finance", status: "applied" });
    // The learned stage is unsure of a service's activity mail sent as a list (below the notifications threshold): the owner is asked.
    expect(byGmailId.get(github!.id)).toMatchObject({ category: "notifications", status: "review" });
    // Confidently "other", whose setting changes nothing in the mailbox.
    expect(byGmailId.get(personal!.id)).toMatchObject({ category: "other", status: "none" });
    expect(byGmailId.get(newsletter!.id)!.reasons).toContain("List-Unsubscribe header");
    expect(byGmailId.get(newsletter!.id)!.receivedAt.getTime()).toBe(newsletter!.internalDate);
    expect(byGmailId.get(newsletter!.id)!.labelsAtTriage).toEqual(["INBOX", "UNREAD"]);

    // Newsletters: label + archive; finance: label only. The review items are untouched.
    const newsletters = labelId(account.emailAddress, "Triage/Newsletters")!;
    const finance = labelId(account.emailAddress, "Triage/Finance")!;
    expect(kit.fake().message(newsletter!.id, account.emailAddress)!.labelIds.sort()).toEqual(["UNREAD", newsletters].sort());
    expect(kit.fake().message(invoice!.id, account.emailAddress)!.labelIds.sort()).toEqual(["INBOX", "UNREAD", finance].sort());
    expect(kit.fake().message(github!.id, account.emailAddress)!.labelIds.sort()).toEqual(["INBOX", "UNREAD"]);

    const actions = await actionsOf(account.id);
    expect(actions).toHaveLength(2);
    const newsletterAction = actions.find((a) => a.gmailMessageId === newsletter!.id)!;
    expect(newsletterAction).toMatchObject({ kind: "apply", category: "newsletters", labelsAdded: [newsletters], labelsRemoved: ["INBOX"], actor: "triage", syncRunId: run.id });
    expect(newsletterAction.labelsBefore).toEqual(["INBOX", "UNREAD"]);
    expect(newsletterAction.labelsAfter.sort()).toEqual(kit.fake().message(newsletter!.id, account.emailAddress)!.labelIds.sort());
    // The log names the labels triage created.
    const logged = (await listActions("operator", { accountId: account.id })).items.find((a) => a.id === newsletterAction.id)!;
    expect(logged.labelNames).toEqual({ [newsletters]: "Triage/Newsletters" });
  });

  it("stops at the message limit and reports progress counters", async () => {
    const account = await kit.connect();
    deliver(account.emailAddress, ["newsletter", "invoice", "bounce", "personal", "action-needed"]);
    const run = await kit.sync(account.id, "backfill", { maxMessages: 3 });
    expect(run).toMatchObject({ status: "succeeded", total: 3, processed: 3, maxMessages: 3 });
    expect(await messagesOf(account.id)).toHaveLength(3);
  });
});

describe("push → incremental sync", () => {
  it("triages only what arrived after the stored history id and moves the history id forward", async () => {
    const account = await kit.connect();
    deliver(account.emailAddress, ["newsletter"]);
    await kit.sync(account.id, "backfill");
    const before = await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } });

    const [fresh] = deliver(account.emailAddress, ["paypal-receipt"]);
    const outcome = await processNotification(await notify(account.emailAddress, kit.fake().historyId()));

    expect(outcome.status).toBe("processed");
    const run = await autocommit().triageSyncRun.findUniqueOrThrow({ where: { id: outcome.syncRunId! } });
    expect(run).toMatchObject({ kind: "incremental", trigger: "push", status: "succeeded", total: 1, autoApplied: 1, startHistoryId: before.historyId });
    const rows = await messagesOf(account.id);
    expect(rows.map((r) => r.gmailMessageId)).toContain(fresh!.id);
    expect(rows).toHaveLength(2);
    const after = await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(BigInt(after.historyId!)).toBeGreaterThan(BigInt(before.historyId!));
    expect(after.lastSyncAt).not.toBeNull();
  });

  it("processes a message once when notifications repeat or overlap", async () => {
    const account = await kit.connect();
    deliver(account.emailAddress, ["invoice"]);
    const historyId = kit.fake().historyId();
    const first = await processNotification(await notify(account.emailAddress, historyId));
    // The same change notified again (a Pub/Sub redelivery has another message id), and an older one.
    const again = await processNotification(await notify(account.emailAddress, historyId));
    const older = await processNotification(await notify(account.emailAddress, historyId - 1));
    // And a sync run over the same history, as after a lost lease.
    await kit.sync(account.id, "incremental");

    expect(first.syncRunId).not.toBeNull();
    expect(again).toMatchObject({ status: "processed", covered: true, syncRunId: null });
    expect(older).toMatchObject({ status: "processed", covered: true });
    expect(await messagesOf(account.id)).toHaveLength(1);
    expect(await actionsOf(account.id)).toHaveLength(1);
    expect(kit.fake().requests.filter((r) => r.path.endsWith("batchModify")).length).toBeGreaterThan(0);
  });

  it("keeps no run for a push that brought nothing new (triage's own label changes)", async () => {
    const account = await kit.connect();
    const [message] = deliver(account.emailAddress, ["personal"]);
    await kit.sync(account.id, "incremental");
    const runs = await autocommit().triageSyncRun.count({ where: { accountId: account.id } });
    await (await gmailProviderFor(account.id)).modifyLabels(message!.id, ["STARRED"], []);

    const outcome = await processNotification(await notify(account.emailAddress, kit.fake().historyId()));

    expect(outcome).toEqual({ status: "processed", syncRunId: null });
    expect(await autocommit().triageSyncRun.count({ where: { accountId: account.id } })).toBe(runs);
    expect((await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } })).historyId).toBe(String(kit.fake().historyId()));
  });

  it("never moves the history id backwards", async () => {
    const account = await kit.connect();
    deliver(account.emailAddress, ["bounce"]);
    await kit.sync(account.id, "incremental");
    const stored = (await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } })).historyId!;
    // A backfill ends at the profile's history id, which is the same or newer; force an older one.
    await autocommit().$executeRaw`UPDATE triage_sync_runs SET status = 'succeeded' WHERE account_id = ${account.id}`;
    const { advanceHistoryId } = await import("./sync-lease");
    await advanceHistoryId(account.id, String(BigInt(stored) - 1n), new Date());
    expect((await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } })).historyId).toBe(stored);
  });

  it("ignores a notification for an address that is not connected", async () => {
    const outcome = await processNotification(await notify("stranger@example.com", 5));
    expect(outcome).toEqual({ status: "ignored", syncRunId: null });
  });
});

describe("expired history", () => {
  it("falls back to a bounded full sync of recent mail, without triaging anything twice", async () => {
    const account = await kit.connect();
    // Finance mail is labelled but stays in the inbox, so the full sync lists it again.
    deliver(account.emailAddress, ["invoice"]);
    await kit.sync(account.id, "incremental");
    const [later] = deliver(account.emailAddress, ["paypal-receipt"]);
    kit.fake().expireHistory(account.emailAddress);
    // The full sync continues from the mailbox's history id as it was when the listing began.
    const listedAt = String(kit.fake().historyId());

    const run = await kit.sync(account.id, "incremental");

    expect(run).toMatchObject({ status: "succeeded", kind: "full", total: 2, skipped: 1, autoApplied: 1 });
    expect(run.error).toMatch(/has expired; synced the last 7 days/);
    const rows = await messagesOf(account.id);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.gmailMessageId)).toContain(later!.id);
    expect((await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } })).historyId).toBe(listedAt);
  });
});

describe("thresholds", () => {
  it("applies a category's actions only at or above its threshold", async () => {
    const account = await kit.connect();
    try {
      await saveCategorySetting({ ...DEFAULT_CATEGORY_SETTINGS.newsletters, threshold: 1 }, null);
      await saveCategorySetting({ ...DEFAULT_CATEGORY_SETTINGS.notifications, threshold: 0.6 }, null);
      const [newsletter, github] = deliver(account.emailAddress, ["newsletter", "github-notification"]);
      const run = await kit.sync(account.id, "backfill");
      expect(run).toMatchObject({ autoApplied: 1, queuedForReview: 1 });
      // 0.996 < 1: waits for the owner, nothing changed in Gmail.
      expect(kit.fake().message(newsletter!.id, account.emailAddress)!.labelIds).toEqual(["INBOX", "UNREAD"]);
      // 0.613 ≥ 0.6: labelled, archived and marked read.
      expect(kit.fake().message(github!.id, account.emailAddress)!.labelIds).toEqual([labelId(account.emailAddress, "Triage/Notifications")]);
    } finally {
      await autocommit().triageCategorySetting.deleteMany();
    }
  });
});

describe("the model stage", () => {
  it("asks the model only about ambiguous mail, at most TRIAGE_MODEL_MAX_CALLS_PER_RUN times per run", async () => {
    const openai = await startFakeOpenAI();
    try {
      const model = createOpenAI({ baseURL: openai.url, apiKey: "x" }).chat("triage-model");
      const account = await kit.connect();
      // Notes with no recipient and hardly any text: the learned stage is not sure what they are.
      const ambiguous = [1, 2, 3].map((i) => Buffer.from(`From: Sam <sam@friends.example>\r\nSubject: Saturday plans ${i}\r\nMessage-ID: <p${i}@friends.example>\r\n\r\nhalf a note\r\n`));
      kit.fake().addMessages([mailFixture("invoice"), ...ambiguous], ["INBOX"], { email: account.emailAddress });
      openai.script({ text: JSON.stringify({ category: "action_needed", confidence: 0.97, reasons: ["asks to confirm plans"] }) });

      const run = await withEnv({ TRIAGE_MODEL_MAX_CALLS_PER_RUN: "1" }, async () => {
        const row = await insertSyncRun(autocommit(), { accountId: account.id, kind: "backfill", trigger: "manual" });
        return executeSyncRun(row.id, { model });
      });

      expect(run).toMatchObject({ status: "succeeded", total: 4, modelCalls: 1, stageOneDecided: 1 });
      expect(openai.requests).toHaveLength(1);
      const rows = await messagesOf(account.id);
      expect(rows.filter((r) => r.stage === "model")).toEqual([expect.objectContaining({ category: "action_needed", confidence: 0.97, status: "applied" })]);
      const capped = rows.filter((r) => r.subject.startsWith("Saturday") && r.stage !== "model");
      expect(capped).toHaveLength(2);
      for (const row of capped) {
        expect(row).toMatchObject({ stage: "learned", status: "review" });
        expect(row.reasons).toContain("model not asked: this sync reached its model call limit");
      }
    } finally {
      await openai.close();
    }
  });
});

describe("one sync per mailbox", () => {
  it("makes a second sync wait while the first holds the mailbox", async () => {
    const account = await kit.connect();
    expect(await acquireSyncLease(account.id, "tsr_other")).toBe(true);
    try {
      const run = await insertSyncRun(autocommit(), { accountId: account.id, kind: "incremental", trigger: "manual" });
      await expect(executeSyncRun(run.id, { model: null })).rejects.toBeInstanceOf(RetryLater);
      expect((await autocommit().triageSyncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("queued");
    } finally {
      await releaseSyncLease(account.id, "tsr_other");
    }
  });

  it("re-sends a running run only once its mailbox lease has lapsed, and never runs it twice at once", async () => {
    const account = await kit.connect();
    const run = await insertSyncRun(autocommit(), { accountId: account.id, kind: "incremental", trigger: "manual" });
    await autocommit().triageSyncRun.update({ where: { id: run.id }, data: { status: "running", startedAt: new Date(Date.now() - 3_600_000) } });
    expect(await acquireSyncLease(account.id, run.id)).toBe(true);
    try {
      // Alive however long it has run: not re-sent, and a second executor of it waits.
      expect((await findSyncRunsToRedispatch()).map((r) => r.runId)).not.toContain(run.id);
      await expect(executeSyncRun(run.id, { model: null })).rejects.toBeInstanceOf(RetryLater);
      // The process running it died: the lease lapses and the run is re-sent.
      await autocommit().$executeRaw`UPDATE email_accounts SET sync_lease_until = now() - interval '1 second' WHERE id = ${account.id}`;
      expect((await findSyncRunsToRedispatch()).map((r) => r.runId)).toContain(run.id);
      expect(await executeSyncRun(run.id, { model: null })).toMatchObject({ status: "succeeded" });
    } finally {
      await releaseSyncLease(account.id, run.id);
    }
  });

  it("records a failure on the run and leaves the history id for the next sync", async () => {
    const account = await kit.connect();
    deliver(account.emailAddress, ["invoice"]);
    const stored = (await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } })).historyId;
    const provider = await gmailProviderFor(account.id, { retries: 0 });
    kit.fake().failNext(500, 1);
    const run = await insertSyncRun(autocommit(), { accountId: account.id, kind: "incremental", trigger: "manual" });
    const failed = await executeSyncRun(run.id, { model: null, provider });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/Gmail/);
    expect((await autocommit().emailAccount.findUniqueOrThrow({ where: { id: account.id } })).historyId).toBe(stored);
  });
});

describe("variants", () => {
  it("a re-sent fixture with a new id is a new message", async () => {
    const account = await kit.connect();
    kit.fake().addMessages([variantOf("invoice", { messageId: "inv-2@example.com" })], ["INBOX"], { email: account.emailAddress });
    const run = await kit.sync(account.id, "backfill");
    expect(run.total).toBe(1);
  });
});
