import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { failure } from "@/tests/setup/app-error";
import { loadSenderRules } from "./rules";
import { reviewMessage } from "./review";
import { triageKitForFile, variantOf, mailFixture } from "./test-kit";
import { undoAction, undoSyncRun } from "./undo";

// Undo restores exactly the labels triage changed; review corrections record feedback, make sender
// rules, and re-apply; all against the fake Gmail API.

const kit = triageKitForFile();
const labelsOf = (id: string, email: string) => [...kit.fake().message(id, email)!.labelIds].sort();
const actor = "user:usr_test";

async function triagedFixtures(fixtures: Parameters<typeof mailFixture>[0][]) {
  const account = await kit.connect();
  const messages = kit.fake().addMessages(fixtures.map(mailFixture), ["INBOX", "UNREAD", "IMPORTANT"], { email: account.emailAddress });
  const run = await kit.sync(account.id, "backfill");
  return { account, messages, run, email: account.emailAddress };
}

describe("undo", () => {
  it("restores one message's labels exactly and logs the undo", async () => {
    const { account, messages, email } = await triagedFixtures(["newsletter", "bounce"]);
    const [newsletter] = messages;
    const original = ["IMPORTANT", "INBOX", "UNREAD"];
    expect(labelsOf(newsletter!.id, email)).not.toEqual(original);
    const action = await autocommit().triageAction.findFirstOrThrow({ where: { accountId: account.id, gmailMessageId: newsletter!.id } });

    const result = await undoAction(action.id, { actor, scope: "operator" });

    expect(labelsOf(newsletter!.id, email)).toEqual(original);
    expect([...result.labels].sort()).toEqual(original);
    const undone = await autocommit().triageAction.findUniqueOrThrow({ where: { id: action.id } });
    expect(undone.undoneAt).not.toBeNull();
    expect(undone.undoActionId).toBe(result.undoActionId);
    const undo = await autocommit().triageAction.findUniqueOrThrow({ where: { id: result.undoActionId } });
    expect(undo).toMatchObject({ kind: "undo", actor, undoesActionId: action.id, labelsAdded: action.labelsRemoved, labelsRemoved: action.labelsAdded });
    expect([...undo.labelsAfter].sort()).toEqual(original);
    // The message goes back to the review queue; the other message is untouched.
    expect((await autocommit().triagedMessage.findUniqueOrThrow({ where: { id: action.messageId } })).status).toBe("review");
    expect(labelsOf(messages[1]!.id, email)).not.toEqual(original);

    expect(await failure(undoAction(action.id, { actor, scope: "operator" }))).toMatchObject({ code: "conflict", message: "This action was already undone." });
    expect(await failure(undoAction(result.undoActionId, { actor, scope: "operator" }))).toMatchObject({ code: "conflict" });
    expect(await failure(undoAction("tact_missing", { actor, scope: "operator" }))).toMatchObject({ code: "not_found" });
  });

  it("leaves labels the owner changed meanwhile alone", async () => {
    const { account, messages, email } = await triagedFixtures(["newsletter"]);
    const action = await autocommit().triageAction.findFirstOrThrow({ where: { accountId: account.id } });
    const provider = await (await import("@/lib/email/accounts")).gmailProviderFor(account.id);
    await provider.modifyLabels(messages[0]!.id, ["STARRED"], []);
    await undoAction(action.id, { actor, scope: "operator" });
    expect(labelsOf(messages[0]!.id, email)).toEqual(["IMPORTANT", "INBOX", "STARRED", "UNREAD"]);
  });

  it("undoes a whole sync run in batched calls", async () => {
    const { account, messages, run, email } = await triagedFixtures(["newsletter", "invoice", "paypal-receipt", "bounce", "personal"]);
    const applied = await autocommit().triageAction.count({ where: { syncRunId: run.id, kind: "apply" } });
    expect(applied).toBe(4);
    const batchCallsBefore = kit.fake().requests.filter((r) => r.path.endsWith("batchModify")).length;

    expect(await undoSyncRun(run.id, { actor, scope: "operator" })).toEqual({ undone: 4 });

    for (const message of messages) expect(labelsOf(message.id, email)).toEqual(["IMPORTANT", "INBOX", "UNREAD"]);
    // Three distinct changes to reverse: newsletter, finance (two messages), notification.
    expect(kit.fake().requests.filter((r) => r.path.endsWith("batchModify")).length - batchCallsBefore).toBe(3);
    expect((await autocommit().triageSyncRun.findUniqueOrThrow({ where: { id: run.id } })).undoneAt).not.toBeNull();
    expect(await autocommit().triageAction.count({ where: { accountId: account.id, kind: "undo" } })).toBe(4);
    // Nothing is left to undo a second time.
    expect(await undoSyncRun(run.id, { actor, scope: "operator" })).toEqual({ undone: 0 });
  });
});

describe("review", () => {
  it("a correction records feedback, makes a sender rule, and the next mail from the sender follows it", async () => {
    const { account, messages, email } = await triagedFixtures(["personal"]);
    const message = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id } });
    expect(message).toMatchObject({ status: "none", category: "other" });

    const result = await reviewMessage(message.id, { category: "action_needed", createRule: "address" }, { actor, userId: "usr_test", scope: "operator" });

    expect(result).toMatchObject({ corrected: true, category: "action_needed" });
    const label = kit.fake().labels(email).find((l) => l.name === "Triage/Action needed")!;
    expect(labelsOf(messages[0]!.id, email)).toEqual(["IMPORTANT", "INBOX", label.id, "UNREAD"].sort());
    expect(await autocommit().triageFeedback.findFirst({ where: { messageId: message.id } })).toMatchObject({
      fromCategory: "other",
      toCategory: "action_needed",
      stage: "learned",
      ruleId: result.ruleId,
    });
    expect(await autocommit().triagedMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "reviewed", reviewedCategory: "action_needed" });
    const rules = await loadSenderRules();
    expect(rules).toContainEqual(expect.objectContaining({ match: { address: message.fromAddress }, category: "action_needed" }));

    kit.fake().addMessages([variantOf("personal", { messageId: "second@friends.example", subject: "Dinner on Friday?" })], ["INBOX"], { email });
    await kit.sync(account.id, "incremental");
    const second = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id, subject: "Dinner on Friday?" } });
    expect(second).toMatchObject({ category: "action_needed", stage: "rule", confidence: 1, status: "applied" });
    await autocommit().triageSenderRule.deleteMany();
  });

  it("correcting an applied message undoes the first category's change before applying the new one", async () => {
    const { account, messages, email } = await triagedFixtures(["invoice"]);
    const message = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id } });
    await reviewMessage(message.id, { category: "newsletters" }, { actor, userId: "usr_test", scope: "operator" });
    const names = new Map(kit.fake().labels(email).map((l) => [l.id, l.name]));
    expect(labelsOf(messages[0]!.id, email).map((id) => names.get(id) ?? id).sort()).toEqual(["IMPORTANT", "Triage/Newsletters", "UNREAD"]);
    const actions = await autocommit().triageAction.findMany({ where: { messageId: message.id }, orderBy: { createdAt: "asc" } });
    expect(actions.map((a) => a.kind)).toEqual(["apply", "undo", "review"]);
  });

  it("refuses an unknown message and a rule for a message without a sender", async () => {
    expect(await failure(reviewMessage("tmsg_missing", { category: "other" }, { actor, userId: null, scope: "operator" }))).toMatchObject({ code: "not_found" });
    const account = await kit.connect();
    kit.fake().addMessages([mailFixture("malformed")], ["INBOX"], { email: account.emailAddress });
    await kit.sync(account.id, "backfill");
    const message = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id } });
    expect(message.fromAddress).toBeNull();
    expect(await failure(reviewMessage(message.id, { category: "finance", createRule: "domain" }, { actor, userId: null, scope: "operator" }))).toMatchObject({ code: "bad_request" });
  });
});
