import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { HEURISTIC_DECISION_THRESHOLD, triageDecisionSchema } from "./categories";
import { classifyStageOne } from "./classify";
import { learnAdjustments, loadAdjustments } from "./corrections";
import { prepareMessage } from "./learned-stage";
import { parseMessage } from "./parse-message";
import { reviewMessage } from "./review";
import { mailFixture, triageKitForFile, type MailFixture } from "./test-kit";

// The learned stage on mail unlike its training set (the fixtures are modern mail; the development
// set is 2000–2007 mail), and learning from the owner's corrections: a correction changes the next
// decision for similar mail from another sender, through a real review and a real sync.

const kit = triageKitForFile();

function plainMail(from: string, subject: string, body: string, id: string): Buffer {
  return Buffer.from(`From: ${from}\r\nTo: owner@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
}

const PLOT_A = plainMail(
  "Garden Club <club@gardeners-one.example>",
  "Allotment plot renewal for the 2026 season",
  "Hello, the allotment plot renewal for the 2026 season is ready. Plot fees, water fees and shed rent are listed on the renewal sheet. The committee",
  "plot-a@gardeners-one.example",
);
const PLOT_B = plainMail(
  "Allotments Office <office@allotments-two.example>",
  "Plot renewal 2026: allotment fees",
  "Good morning, your allotment plot renewal is ready: plot fees, water fees and shed rent for the season are on the renewal sheet. The office",
  "plot-b@allotments-two.example",
);

describe("the learned stage", () => {
  it("decides modern mail it was not trained on the way its signals say, with calibrated confidence and reasons", async () => {
    const expected: [MailFixture, string][] = [
      ["newsletter", "newsletters"],
      ["invoice", "finance"],
      ["paypal-receipt", "finance"],
      ["bounce", "notifications"],
      ["action-needed", "action_needed"],
      ["personal", "other"],
    ];
    for (const [fixture, category] of expected) {
      const result = classifyStageOne(await parseMessage(mailFixture(fixture)));
      expect(result, fixture).toMatchObject({ category, stage: "learned", decided: true });
      expect(result.confidence).toBeGreaterThanOrEqual(HEURISTIC_DECISION_THRESHOLD);
      expect(triageDecisionSchema.safeParse(result).success).toBe(true);
    }
    const newsletter = classifyStageOne(await parseMessage(mailFixture("newsletter")));
    expect(newsletter.reasons).toEqual(expect.arrayContaining(["List-Unsubscribe header"]));
    // A service's activity mail sent as a list is not confidently a newsletter (it is not auto-archived as one).
    const github = classifyStageOne(await parseMessage(mailFixture("github-notification")));
    expect(github.category === "notifications" || github.confidence < 0.7).toBe(true);
  });

  it("moves similar mail from another sender after one correction, and leaves unrelated mail alone", async () => {
    const a = await parseMessage(PLOT_A);
    const b = await parseMessage(PLOT_B);
    const newsletter = await parseMessage(mailFixture("newsletter"));
    expect(classifyStageOne(b).category).not.toBe("finance");

    const adjustments = learnAdjustments([{ features: prepareMessage(a).features, category: "finance" }]);

    expect(classifyStageOne(a, { learned: { adjustments } })).toMatchObject({ category: "finance", decided: true });
    const after = classifyStageOne(b, { learned: { adjustments } });
    expect(after.category).toBe("finance");
    expect(after.reasons).toContain("adjusted by the owner's earlier corrections of similar mail");
    const before = classifyStageOne(newsletter);
    expect(classifyStageOne(newsletter, { learned: { adjustments } })).toMatchObject({ category: before.category });
  });

  it("learns from a review correction in the mailbox: the next sync files similar mail from a new sender the same way", async () => {
    const account = await kit.connect();
    kit.fake().addMessages([PLOT_A], ["INBOX", "UNREAD"], { email: account.emailAddress });
    await kit.sync(account.id, "backfill");
    const first = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id } });
    expect(first.category).not.toBe("finance");

    await reviewMessage(first.id, { category: "finance" }, { actor: "user:usr_test", userId: "usr_test", scope: "operator" });
    const feedback = await autocommit().triageFeedback.findFirstOrThrow({ where: { messageId: first.id } });
    expect(feedback).toMatchObject({ accountId: account.id, toCategory: "finance" });
    expect((feedback.features as unknown[]).length).toBeGreaterThan(10);
    expect((await loadAdjustments(account.id)).size).toBeGreaterThan(0);

    // No sender rule was made, and B comes from another domain: only the learned words can move it.
    kit.fake().addMessages([PLOT_B], ["INBOX", "UNREAD"], { email: account.emailAddress });
    await kit.sync(account.id, "incremental");
    const second = await autocommit().triagedMessage.findFirstOrThrow({ where: { accountId: account.id, fromAddress: "office@allotments-two.example" } });
    expect(second).toMatchObject({ category: "finance", stage: "learned" });

    // Another mailbox's corrections do not leak into this one.
    const other = await kit.connect();
    expect((await loadAdjustments(other.id)).size).toBe(0);
  });
});
