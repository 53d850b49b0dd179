import { z } from "zod";
import { triageCategorySchema, type StageOneResult } from "./categories";
import type { MailAddress } from "./parse-message";

// The owner's sender rules: "mail from this address (or domain) is finance". They are the owner's
// word, so a match decides with confidence 1 before any heuristic runs. Corrections made later in the
// app become rules of this same shape.

export const senderRuleSchema = z.object({
  match: z.union([
    z.object({ address: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+$/, "is not an email address") }).strict(),
    z.object({ domain: z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "is not a domain") }).strict(),
  ]),
  category: triageCategorySchema,
  /** Why the owner made it, shown in the decision's reasons. */
  note: z.string().max(200).optional(),
});
export type SenderRule = z.infer<typeof senderRuleSchema>;

/** A rules file: `{ "rules": [ { "match": { "domain": "paypal.com" }, "category": "finance" } ] }`. */
export const senderRulesFileSchema = z.object({ rules: z.array(senderRuleSchema) });

/**
 * The rule for this sender, or null. An address rule beats a domain rule, and a longer domain
 * (`billing.example.com`) beats a shorter one (`example.com`); a domain also matches its subdomains.
 */
export function matchSenderRule(from: MailAddress | null, rules: readonly SenderRule[]): SenderRule | null {
  const address = from?.address.toLowerCase();
  if (!address?.includes("@")) return null;
  const domain = address.slice(address.lastIndexOf("@") + 1);
  let best: SenderRule | null = null;
  let bestScore = -1;
  for (const rule of rules) {
    let score = -1;
    if ("address" in rule.match) {
      if (rule.match.address === address) score = Number.MAX_SAFE_INTEGER;
    } else if (domain === rule.match.domain || domain.endsWith(`.${rule.match.domain}`)) {
      score = rule.match.domain.length;
    }
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

export function applySenderRules(from: MailAddress | null, rules: readonly SenderRule[]): StageOneResult | null {
  const rule = matchSenderRule(from, rules);
  if (!rule) return null;
  const what = "address" in rule.match ? `address ${rule.match.address}` : `domain ${rule.match.domain}`;
  return {
    category: rule.category,
    confidence: 1,
    stage: "rule",
    decided: true,
    reasons: [`owner's sender rule: ${what} → ${rule.category}${rule.note ? ` (${rule.note})` : ""}`],
  };
}
