import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HEURISTIC_DECISION_THRESHOLD, triageDecisionSchema, type StageOneResult } from "./categories";
import { classifyStageOne } from "./classify";
import { parseMessage, type MailMessage } from "./parse-message";

const FIXTURES = path.resolve(import.meta.dirname, "../../tests/fixtures/mail");
const parseFixture = async (name: string) => parseMessage(await readFile(path.join(FIXTURES, name)));
// The signals' own decision (the heuristics); learned-stage.test.ts covers the learned stage.
const classifyFixture = async (name: string) => classifyStageOne(await parseFixture(name), { learned: false });

function message(overrides: Partial<MailMessage>): MailMessage {
  return { messageId: "m@x", from: { address: "someone@example.org", name: "Someone" }, to: [], subject: "hello", date: null, headers: {}, text: "", attachments: [], ...overrides };
}

function expectDecided(result: StageOneResult, category: StageOneResult["category"]) {
  expect(result).toMatchObject({ category, stage: "heuristic", decided: true });
  expect(result.confidence).toBeGreaterThanOrEqual(HEURISTIC_DECISION_THRESHOLD);
  expect(result.confidence).toBeLessThan(1);
  expect(triageDecisionSchema.safeParse(result).success).toBe(true);
}

describe("classifyStageOne, heuristics only", () => {
  it("decides the clear cases with their reasons", async () => {
    const newsletter = await classifyFixture("newsletter.eml");
    expectDecided(newsletter, "newsletters");
    expect(newsletter.reasons).toEqual(expect.arrayContaining(["List-Unsubscribe header"]));

    const invoice = await classifyFixture("invoice.eml");
    expectDecided(invoice, "finance");
    expect(invoice.reasons).toEqual(expect.arrayContaining(['"invoice" in the subject', "attachment invoice-INV-2041.pdf"]));

    expectDecided(await classifyFixture("paypal-receipt.eml"), "finance");
    expectDecided(await classifyFixture("bounce.eml"), "notifications");
    expectDecided(await classifyFixture("action-needed.eml"), "action_needed");
    expectDecided(await classifyFixture("nested/invitation.eml"), "action_needed");
  });

  it("files a service's activity mail under notifications even though it comes as a list", async () => {
    const github = await classifyFixture("github-notification.eml");
    expectDecided(github, "notifications");
    expect(github.reasons[0]).toBe("github.com sends activity notifications");
  });

  it("leaves person-to-person mail undecided for the model, with its best guess", async () => {
    const personal = await classifyFixture("personal.eml");
    expect(personal).toMatchObject({ category: "other", decided: false, stage: "heuristic" });
    expect(personal.confidence).toBeLessThan(HEURISTIC_DECISION_THRESHOLD);
    expect(personal.reasons.at(-1)).toMatch(/^ambiguous: not enough evidence/);
    expect((await classifyFixture("malformed.eml")).decided).toBe(false);
  });

  it("does not decide when the evidence points two ways", () => {
    // A shop's promotional mailing whose subject talks about an order: newsletter or finance?
    const mixed = classifyStageOne(
      message({
        to: [{ address: "me@example.org", name: "" }],
        from: { address: "shop@store.example", name: "Store" },
        subject: "Your order history and a receipt for 20% off",
        headers: { "list-unsubscribe": "<https://store.example/u>" },
      }),
      { learned: false },
    );
    expect(mixed.decided).toBe(false);
    expect(["newsletters", "finance"]).toContain(mixed.category);
    expect(mixed.reasons.at(-1)).toMatch(/^ambiguous: also (finance|newsletters)/);
  });

  it("counts one list server once: more list headers do not push past the cap", () => {
    const oneHeader = classifyStageOne(message({ headers: { "list-id": "<a.example>" } }), { learned: false });
    const all = classifyStageOne(
      message({ headers: { "list-id": "<a.example>", "list-unsubscribe": "<mailto:u@a.example>", "list-post": "<mailto:a@a.example>", precedence: "bulk", "x-beenthere": "a@a.example" } }),
      { learned: false },
    );
    expect(oneHeader.category).toBe("newsletters");
    expect(all.confidence).toBeGreaterThan(oneHeader.confidence);
    expect(all.confidence).toBeLessThan(0.97);
  });

  it("applies the owner's sender rules before any heuristic", async () => {
    const newsletter = await parseFixture("newsletter.eml");
    const ruled = classifyStageOne(newsletter, { rules: [{ match: { domain: "weeklyreader.example" }, category: "action_needed" }] });
    expect(ruled).toEqual({
      category: "action_needed",
      confidence: 1,
      stage: "rule",
      decided: true,
      reasons: ["owner's sender rule: domain weeklyreader.example → action_needed"],
    });
  });
});
