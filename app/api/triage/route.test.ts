import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { callRoute, type RouteCall, type RouteHandler } from "@/tests/setup/route-call";
import * as actionsRoute from "@/app/api/triage/actions/route";
import * as undoActionRoute from "@/app/api/triage/actions/[id]/undo/route";
import * as messagesRoute from "@/app/api/triage/messages/route";
import * as messageRoute from "@/app/api/triage/messages/[id]/route";
import { DEFAULT_CATEGORY_SETTINGS } from "@/lib/triage/settings";
import * as reviewRoute from "@/app/api/triage/messages/[id]/review/route";
import * as rulesRoute from "@/app/api/triage/rules/route";
import * as ruleRoute from "@/app/api/triage/rules/[id]/route";
import * as runsRoute from "@/app/api/triage/runs/route";
import * as runRoute from "@/app/api/triage/runs/[id]/route";
import * as undoRunRoute from "@/app/api/triage/runs/[id]/undo/route";
import * as settingsRoute from "@/app/api/triage/settings/route";
import * as settingRoute from "@/app/api/triage/settings/[category]/route";
import * as statsRoute from "@/app/api/triage/stats/route";
import type { BackgroundEvent } from "@/inngest/events";
import { connectGmailAccount, type EmailAccountDto } from "@/lib/email/accounts";
import type { TriageActionDto, TriagedMessageDto } from "@/lib/triage/read-triage";
import type { SyncRunDto } from "@/lib/triage/sync-runs";
import { executeSyncRun } from "@/lib/triage/sync";
import { googleEnv, startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { envForFile } from "@/tests/setup/config-env";

// The triage API through its route handlers, against this file's database and the fake Gmail: a
// real backfill (stage 1 only, no model) fills the tables, and every undo or review is checked
// against the labels the fake mailbox holds afterwards. The session check itself is covered by
// the HTTP tier; here a signed-in owner is assumed.

vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => ({ id: "usr_test", email: "owner@example.com", name: "Owner", role: "owner" }),
}));
const dispatched = vi.hoisted(() => [] as { name: string; data: unknown }[]);
vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async (events: BackgroundEvent[]) => void dispatched.push(...events) }));

const call = (handler: RouteHandler, url: string, params: Record<string, string> = {}, init: Omit<RouteCall, "params"> = {}) => callRoute(handler, url, { params, ...init });

const MAIL_DIR = path.resolve(import.meta.dirname, "../../../tests/fixtures/mail");
const fixture = (name: string) => readFileSync(path.join(MAIL_DIR, name));

let fake: FakeGmail;
let account: EmailAccountDto;
let backfill: SyncRunDto;

envForFile(async () => {
  fake = await startFakeGmail();
  return googleEnv(fake);
});
afterAll(() => fake?.close());

beforeAll(async () => {
  account = await connectGmailAccount({ code: fake.issueCode(), redirectUri: "http://localhost:3000/api/email/oauth/callback", createdBy: "usr_test" });
  for (const name of ["newsletter.eml", "github-notification.eml", "invoice.eml", "paypal-receipt.eml", "action-needed.eml", "personal.eml", "nested/invitation.eml"]) {
    fake.addMessage(fixture(name));
  }
});

const post = (handler: RouteHandler, url: string, body?: unknown, params: Record<string, string> = {}) => call(handler, url, params, { method: "POST", body });
const listMessages = async (query = "") => (await call(messagesRoute.GET, `/api/triage/messages${query}`)).json.messages as TriagedMessageDto[];
const listActions = async (query = "") => (await call(actionsRoute.GET, `/api/triage/actions${query}`)).json.actions as TriageActionDto[];
const bySubject = async (start: string) => (await listMessages()).find((m) => m.subject.startsWith(start))!;
/** A message's labels in the fake mailbox now, user labels by name. */
function labelsInGmail(gmailMessageId: string): string[] {
  const names = new Map(fake.labels().map((l) => [l.id, l.type === "user" ? l.name : l.id]));
  return fake.message(gmailMessageId)!.labelIds.map((id) => names.get(id) ?? id).sort();
}
const issuePaths = (json: { error: { details?: { issues?: { path: string }[] } } }) => json.error.details?.issues?.map((i) => i.path);

describe("triage API", () => {
  it("starts a backfill in the background: 202 with the queued run, and the same run when asked again", async () => {
    const started = await post(runsRoute.POST, "/api/triage/runs", { accountId: account.id, kind: "backfill", sinceDays: 7, maxMessages: 100 });
    expect(started.status).toBe(202);
    backfill = started.json.run;
    expect(backfill).toMatchObject({ accountId: account.id, kind: "backfill", status: "queued", trigger: "manual", requestedBy: "usr_test", sinceDays: 7, maxMessages: 100 });
    expect(started.headers.get("location")).toBe(`/api/triage/runs/${backfill.id}`);
    expect(dispatched).toEqual([{ name: "triage/sync.requested", data: { runId: backfill.id } }]);

    const again = await post(runsRoute.POST, "/api/triage/runs", { accountId: account.id, kind: "backfill" });
    expect(again.status).toBe(202);
    expect(again.json.run.id).toBe(backfill.id);
    expect(dispatched).toHaveLength(1);
  });

  it("refuses an invalid sync request with the field at fault, and an unknown mailbox with 404", async () => {
    const invalid = await post(runsRoute.POST, "/api/triage/runs", { kind: "full", sinceDays: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.code).toBe("validation_failed");
    expect(issuePaths(invalid.json)).toEqual(expect.arrayContaining(["accountId", "kind", "sinceDays"]));
    const unknown = await post(runsRoute.POST, "/api/triage/runs", { accountId: "eml_nope", kind: "incremental" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain("eml_nope");
    expect((await call(runRoute.GET, "/api/triage/runs/tsr_nope", { id: "tsr_nope" })).status).toBe(404);
  });

  it("shows the run's progress counters once it has run", async () => {
    const finished = await executeSyncRun(backfill.id, { model: null });
    expect(finished.status).toBe("succeeded");
    const { status, json } = await call(runRoute.GET, `/api/triage/runs/${backfill.id}`, { id: backfill.id });
    expect(status).toBe(200);
    expect(json.run).toMatchObject({ id: backfill.id, status: "succeeded", total: 7, processed: 7, autoApplied: 5, queuedForReview: 2, modelCalls: 0 });

    const runs = await call(runsRoute.GET, `/api/triage/runs?accountId=${account.id}`);
    expect(runs.json).toEqual({ runs: [json.run], nextCursor: null });
    expect((await call(runsRoute.GET, "/api/triage/runs?accountId=eml_other")).json.runs).toEqual([]);
    expect((await call(runsRoute.GET, "/api/triage/runs?limit=0")).status).toBe(400);
  });

  it("lists triaged mail by category, the review queue, and pages with the before cursor", async () => {
    const all = await listMessages();
    expect(all).toHaveLength(7);
    expect(all.every((m) => m.syncRunId === backfill.id && m.accountId === account.id)).toBe(true);

    const finance = await listMessages("?category=finance");
    expect(finance.map((m) => m.subject).sort()).toEqual(["Receipt for your payment to Bookshop Ltd", "Your invoice INV-2041 for March"]);
    expect(finance.every((m) => m.status === "applied" && m.activeActionId && m.confidence >= 0.9 && m.reasons.length > 0)).toBe(true);

    const review = await listMessages("?status=review");
    expect(review.map((m) => m.subject).sort()).toEqual(["Invitation: Quarterly planning @ Tue 11 Mar 2025 10:00 - 11:00 (CET)", "Re: [acme/api] Fix race in lease expiry (PR #42)"]);
    expect(review.every((m) => m.activeActionId === null && m.confidence < 0.9)).toBe(true);

    const first = await call(messagesRoute.GET, "/api/triage/messages?limit=4");
    expect(first.json.messages).toHaveLength(4);
    const second = await call(messagesRoute.GET, `/api/triage/messages?limit=4&before=${first.json.nextCursor}`);
    expect(second.json.nextCursor).toBeNull();
    expect([...first.json.messages, ...second.json.messages].map((m: TriagedMessageDto) => m.id)).toEqual(all.map((m) => m.id));

    const invalid = await call(messagesRoute.GET, "/api/triage/messages?category=spam&status=later");
    expect(invalid.status).toBe(400);
    expect(issuePaths(invalid.json)).toEqual(["category", "status"]);
  });

  it("shows one message with the actions taken on it, and 404 for an unknown id", async () => {
    const invoice = await bySubject("Your invoice");
    const { status, json } = await call(messageRoute.GET, `/api/triage/messages/${invoice.id}`, { id: invoice.id });
    expect(status).toBe(200);
    expect(json.message).toEqual(invoice);
    expect(json.actions).toHaveLength(1);
    expect(json.actions[0]).toMatchObject({ id: invoice.activeActionId, kind: "apply", category: "finance", actor: "triage", labelsBefore: ["INBOX", "UNREAD"], undoneAt: null });
    expect(labelsInGmail(invoice.gmailMessageId)).toEqual(["INBOX", "Triage/Finance", "UNREAD"]);

    const missing = await call(messageRoute.GET, "/api/triage/messages/tmsg_nope", { id: "tmsg_nope" });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("not_found");
  });

  it("counts what triage did", async () => {
    const { json } = await call(statsRoute.GET, "/api/triage/stats");
    expect(json.stats).toMatchObject({
      total: 7,
      byCategory: { action_needed: 2, finance: 2, notifications: 1, newsletters: 1, other: 1 },
      byStage: { rule: 0, heuristic: 0, learned: 7, model: 0 },
      modelCalls: 0,
      autoApplied: 5,
      awaitingReview: 2,
      reviewed: 0,
      corrections: 0,
      undone: 0,
    });
    // Stage 1 decided six on its own (the GitHub mail at 0.877 too, but below the 0.9 threshold).
    expect(json.stats.stageOneShare).toBeCloseTo(5 / 7);
    expect((await call(statsRoute.GET, "/api/triage/stats?accountId=eml_other")).json.stats.total).toBe(0);
  });

  it("undoes one action: the labels in Gmail are as before, the message waits in review, and it cannot be undone twice", async () => {
    const newsletter = await bySubject("The Weekly Reader");
    expect(labelsInGmail(newsletter.gmailMessageId)).toEqual(["Triage/Newsletters", "UNREAD"]); // archived
    const [action] = await listActions(`?messageId=${newsletter.id}`);
    expect(action).toMatchObject({ id: newsletter.activeActionId, labelsBefore: ["INBOX", "UNREAD"], subject: newsletter.subject, fromAddress: "newsletter@weeklyreader.example" });

    const undone = await post(undoActionRoute.POST, `/api/triage/actions/${action!.id}/undo`, undefined, { id: action!.id });
    expect(undone.status).toBe(200);
    expect(undone.json.undone).toMatchObject({ actionId: action!.id, undoActionId: expect.stringMatching(/^tact_/) });
    expect(labelsInGmail(newsletter.gmailMessageId)).toEqual(["INBOX", "UNREAD"]);
    expect([...undone.json.undone.labels].sort()).toEqual(["INBOX", "UNREAD"]);

    const after = await bySubject("The Weekly Reader");
    expect(after).toMatchObject({ status: "review", activeActionId: null });
    const log = await listActions(`?messageId=${newsletter.id}`);
    expect(log.map((a) => a.kind)).toEqual(["undo", "apply"]);
    expect(log[0]).toMatchObject({ id: undone.json.undone.undoActionId, kind: "undo", actor: "user:usr_test", undoesActionId: action!.id });
    expect([...log[0]!.labelsAfter].sort()).toEqual(["INBOX", "UNREAD"]);
    expect(log[1]).toMatchObject({ undoneAt: expect.any(String), undoActionId: undone.json.undone.undoActionId });

    const twice = await post(undoActionRoute.POST, `/api/triage/actions/${action!.id}/undo`, undefined, { id: action!.id });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toMatch(/already undone/);
    const undoOfUndo = await post(undoActionRoute.POST, "/api/triage/actions/x/undo", undefined, { id: log[0]!.id });
    expect(undoOfUndo.status).toBe(409);
    expect((await post(undoActionRoute.POST, "/api/triage/actions/tact_nope/undo", undefined, { id: "tact_nope" })).status).toBe(404);
    expect(labelsInGmail(newsletter.gmailMessageId)).toEqual(["INBOX", "UNREAD"]);
  });

  it("refuses an invalid review, and 404 for an unknown message", async () => {
    const personal = await bySubject("Re: dîner");
    const url = `/api/triage/messages/${personal.id}/review`;
    const invalid = await post(reviewRoute.POST, url, { category: "spam", createRule: "ip", extra: true }, { id: personal.id });
    expect(invalid.status).toBe(400);
    expect(issuePaths(invalid.json)).toEqual(expect.arrayContaining(["category", "createRule"]));
    const missing = await post(reviewRoute.POST, "/api/triage/messages/tmsg_nope/review", { category: "finance" }, { id: "tmsg_nope" });
    expect(missing.status).toBe(404);
    expect((await bySubject("Re: dîner")).status).toBe("none");
  });

  it("corrects a message with a sender rule: the new category's label in Gmail, feedback counted, and the rule decides the sender's next mail", async () => {
    const personal = await bySubject("Re: dîner");
    const { status, json } = await post(reviewRoute.POST, `/api/triage/messages/${personal.id}/review`, { category: "action_needed", createRule: "address" }, { id: personal.id });
    expect(status).toBe(200);
    expect(json.review).toMatchObject({ messageId: personal.id, category: "action_needed", corrected: true, ruleId: expect.stringMatching(/^trule_/), actionId: expect.stringMatching(/^tact_/) });
    expect(json.message).toMatchObject({ category: "other", effectiveCategory: "action_needed", status: "reviewed", reviewedCategory: "action_needed", activeActionId: json.review.actionId });
    expect(labelsInGmail(personal.gmailMessageId)).toEqual(["INBOX", "Triage/Action needed", "UNREAD"]);
    const [reviewAction] = await listActions(`?messageId=${personal.id}`);
    expect(reviewAction).toMatchObject({ kind: "review", actor: "user:usr_test", category: "action_needed" });

    const rules = (await call(rulesRoute.GET, "/api/triage/rules")).json.rules;
    expect(rules).toEqual([expect.objectContaining({ id: json.review.ruleId, matchType: "address", matchValue: "jamie@friends.example", category: "action_needed", origin: "correction", createdBy: "usr_test" })]);
    expect((await call(statsRoute.GET, "/api/triage/stats")).json.stats).toMatchObject({ corrections: 1, reviewed: 1 });
    expect((await listMessages("?category=action_needed")).map((m) => m.id)).toContain(personal.id);

    // Jamie writes again: the next sync decides it by the rule, with full confidence, and files it.
    const next = fake.addMessage(fixture("personal.eml"));
    const sync = await post(runsRoute.POST, "/api/triage/runs", { accountId: account.id, kind: "incremental" });
    expect(sync.status).toBe(202);
    await executeSyncRun(sync.json.run.id, { model: null });
    const [decided] = await listMessages(`?syncRunId=${sync.json.run.id}`);
    expect(decided).toMatchObject({ gmailMessageId: next.id, category: "action_needed", stage: "rule", confidence: 1, status: "applied" });
    expect(labelsInGmail(next.id)).toEqual(["INBOX", "Triage/Action needed", "UNREAD"]);
  });

  it("confirms a category without a correction or a rule", async () => {
    const github = await bySubject("Re: [acme/api]");
    const { json } = await post(reviewRoute.POST, `/api/triage/messages/${github.id}/review`, { category: "notifications" }, { id: github.id });
    expect(json.review).toMatchObject({ corrected: false, ruleId: null });
    expect(json.message).toMatchObject({ status: "reviewed", effectiveCategory: "notifications" });
    // Notifications are labelled, archived and marked read.
    expect(labelsInGmail(github.gmailMessageId)).toEqual(["Triage/Notifications"]);
    expect((await call(statsRoute.GET, "/api/triage/stats")).json.stats.corrections).toBe(1);
  });

  it("undoes a whole sync run: every automatic action still in effect, while a run not finished is refused", async () => {
    const queued = await post(runsRoute.POST, "/api/triage/runs", { accountId: account.id, kind: "incremental" });
    const refused = await post(undoRunRoute.POST, "/api/triage/runs/x/undo", undefined, { id: queued.json.run.id });
    expect(refused.status).toBe(409);
    await executeSyncRun(queued.json.run.id, { model: null });
    expect((await post(undoRunRoute.POST, "/api/triage/runs/tsr_nope/undo", undefined, { id: "tsr_nope" })).status).toBe(404);

    const applied = (await listMessages(`?syncRunId=${backfill.id}&status=applied`)).map((m) => m.gmailMessageId);
    expect(applied).toHaveLength(3); // the newsletter's action was undone on its own
    const { status, json } = await post(undoRunRoute.POST, `/api/triage/runs/${backfill.id}/undo`, undefined, { id: backfill.id });
    expect(status).toBe(200);
    expect(json.undone).toBe(3);
    expect(json.run).toMatchObject({ id: backfill.id, undoneAt: expect.any(String) });
    for (const id of applied) expect(labelsInGmail(id)).toEqual(["INBOX", "UNREAD"]);
    // The owner's own review decisions are not the run's to undo.
    expect((await bySubject("Re: [acme/api]")).status).toBe("reviewed");
    expect(labelsInGmail((await bySubject("Re: [acme/api]")).gmailMessageId)).toEqual(["Triage/Notifications"]);
    expect((await listMessages(`?syncRunId=${backfill.id}&status=review`)).length).toBe(5);
  });

  it("lists the category settings and saves one, with field errors for invalid values", async () => {
    const initial = await call(settingsRoute.GET, "/api/triage/settings");
    expect(initial.json.categories.map((c: { category: string }) => c.category)).toEqual(["action_needed", "finance", "notifications", "newsletters", "other"]);
    expect(initial.json.categories[1]).toEqual({ category: "finance", labelName: "Triage/Finance", archive: false, markRead: false, threshold: DEFAULT_CATEGORY_SETTINGS.finance.threshold, jobKind: null });

    const url = "/api/triage/settings/finance";
    const saved = await call(settingRoute.PUT, url, { category: "finance" }, { method: "PUT", body: { labelName: " Money ", archive: true, markRead: true, threshold: 0.75, jobKind: "inbox.reply-draft" } });
    expect(saved.status).toBe(200);
    expect(saved.json.setting).toEqual({ category: "finance", labelName: "Money", archive: true, markRead: true, threshold: 0.75, jobKind: "inbox.reply-draft" });
    const none = await call(settingRoute.PUT, "/api/triage/settings/other", { category: "other" }, { method: "PUT", body: { labelName: null, archive: false, markRead: true, threshold: 1 } });
    expect(none.status).toBe(200);
    const after = (await call(settingsRoute.GET, "/api/triage/settings")).json.categories;
    expect(after[1]).toEqual(saved.json.setting);
    expect(after[4]).toEqual({ category: "other", labelName: null, archive: false, markRead: true, threshold: 1, jobKind: null });

    const invalid = await call(settingRoute.PUT, url, { category: "finance" }, { method: "PUT", body: { labelName: "INBOX", archive: "yes", markRead: false, threshold: 0.3, jobKind: "research.brief" } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details.issues).toEqual(
      expect.arrayContaining([
        { path: "labelName", message: "must not be one of Gmail's system labels" },
        { path: "threshold", message: "must be at least 0.5" },
        expect.objectContaining({ path: "archive" }),
        expect.objectContaining({ path: "jobKind" }),
      ]),
    );
    const unknown = await call(settingRoute.PUT, "/api/triage/settings/spam", { category: "spam" }, { method: "PUT", body: saved.json.setting });
    expect(unknown.status).toBe(404);
    expect((await call(settingsRoute.GET, "/api/triage/settings")).json.categories[1]).toEqual(saved.json.setting);
  });

  it("adds, lists and deletes sender rules", async () => {
    const created = await post(rulesRoute.POST, "/api/triage/rules", { matchType: "domain", matchValue: " Weeklyreader.Example ", category: "newsletters", note: "reading list" });
    expect(created.status).toBe(201);
    expect(created.json.rule).toMatchObject({ matchType: "domain", matchValue: "weeklyreader.example", category: "newsletters", note: "reading list", origin: "manual", createdBy: "usr_test" });

    const invalid = await post(rulesRoute.POST, "/api/triage/rules", { matchType: "address", matchValue: "not-an-address", category: "finance" });
    expect(invalid.status).toBe(400);
    expect(issuePaths(invalid.json)).toEqual(["matchValue"]);
    const missing = await post(rulesRoute.POST, "/api/triage/rules", { matchType: "domain" });
    expect(issuePaths(missing.json)).toEqual(["matchValue", "category"]);

    // One rule per sender: the same domain again changes the category.
    const replaced = await post(rulesRoute.POST, "/api/triage/rules", { matchType: "domain", matchValue: "weeklyreader.example", category: "other" });
    expect(replaced.json.rule).toMatchObject({ id: created.json.rule.id, category: "other" });
    const listed = (await call(rulesRoute.GET, "/api/triage/rules")).json.rules as { id: string; matchValue: string }[];
    expect(listed.map((r) => r.matchValue)).toEqual(["jamie@friends.example", "weeklyreader.example"]);

    const id = created.json.rule.id;
    const deleted = await call(ruleRoute.DELETE, `/api/triage/rules/${id}`, { id }, { method: "DELETE" });
    expect(deleted.json).toEqual({ deleted: { id } });
    expect((await call(rulesRoute.GET, "/api/triage/rules")).json.rules.map((r: { id: string }) => r.id)).not.toContain(id);
    expect((await call(ruleRoute.DELETE, `/api/triage/rules/${id}`, { id }, { method: "DELETE" })).status).toBe(404);
  });
});
