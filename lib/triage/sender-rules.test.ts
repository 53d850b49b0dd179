import { describe, expect, it } from "vitest";
import { applySenderRules, matchSenderRule, senderRulesFileSchema, type SenderRule } from "./sender-rules";

const rules: SenderRule[] = [
  { match: { domain: "example.com" }, category: "other" },
  { match: { domain: "billing.example.com" }, category: "finance" },
  { match: { address: "boss@billing.example.com" }, category: "action_needed", note: "my manager" },
];
const from = (address: string) => ({ address, name: "" });

describe("sender rules", () => {
  it("prefers an address rule, then the longest matching domain, subdomains included", () => {
    expect(matchSenderRule(from("boss@billing.example.com"), rules)?.category).toBe("action_needed");
    expect(matchSenderRule(from("robot@billing.example.com"), rules)?.category).toBe("finance");
    expect(matchSenderRule(from("robot@eu.billing.example.com"), rules)?.category).toBe("finance");
    expect(matchSenderRule(from("someone@example.com"), rules)?.category).toBe("other");
    expect(matchSenderRule(from("someone@notexample.com"), rules)).toBeNull();
    expect(matchSenderRule(null, rules)).toBeNull();
  });

  it("decides with confidence 1 at the rule stage and says which rule", () => {
    expect(applySenderRules(from("boss@billing.example.com"), rules)).toEqual({
      category: "action_needed",
      confidence: 1,
      stage: "rule",
      decided: true,
      reasons: ["owner's sender rule: address boss@billing.example.com → action_needed (my manager)"],
    });
    expect(applySenderRules(from("x@elsewhere.example"), rules)).toBeNull();
  });

  it("validates a rules file, normalizing case", () => {
    const parsed = senderRulesFileSchema.parse({ rules: [{ match: { domain: " PayPal.com " }, category: "finance" }] });
    expect(parsed.rules[0]!.match).toEqual({ domain: "paypal.com" });
    expect(senderRulesFileSchema.safeParse({ rules: [{ match: { domain: "paypal" }, category: "finance" }] }).success).toBe(false);
    expect(senderRulesFileSchema.safeParse({ rules: [{ match: { address: "a@b.example" }, category: "spam" }] }).success).toBe(false);
    expect(senderRulesFileSchema.safeParse({ rules: [{ match: { address: "a@b.example", domain: "b.example" }, category: "other" }] }).success).toBe(false);
  });
});
