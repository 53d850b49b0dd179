import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { autocommit, type Tx } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { TRIAGE_CATEGORIES, triageCategorySchema } from "./categories";
import { senderRuleSchema, type SenderRule } from "./sender-rules";

// The owner's sender rules as stored (triage_sender_rules): made by hand, or from a correction in
// the review queue. Stage 1 reads them all before each sync; a rule decides with confidence 1.

export const RULE_ORIGINS = ["manual", "correction"] as const;

export const senderRuleDtoSchema = z
  .strictObject({
    id: z.string().describe("trule_…"),
    matchType: z.enum(["address", "domain"]),
    matchValue: z.string(),
    category: z.enum(TRIAGE_CATEGORIES),
    note: z.string().nullable(),
    origin: z.enum(RULE_ORIGINS),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "TriageSenderRule" });

export type SenderRuleDto = z.infer<typeof senderRuleDtoSchema>;

export const senderRuleInputSchema = z.strictObject({
  matchType: z.enum(["address", "domain"]),
  matchValue: z.string().trim().toLowerCase().min(1, "is required").max(254),
  category: triageCategorySchema,
  note: z.string().trim().max(200).optional(),
});
export type SenderRuleInput = z.infer<typeof senderRuleInputSchema>;

type RuleRow = Prisma.TriageSenderRuleGetPayload<object>;

function toDto(row: RuleRow): SenderRuleDto {
  return senderRuleDtoSchema.parse({ ...row, createdAt: row.createdAt.toISOString() });
}

/** The rule in the shape stage 1 takes; null when a stored value is no longer valid. */
function toSenderRule(row: RuleRow): SenderRule | null {
  const parsed = senderRuleSchema.safeParse({
    match: row.matchType === "address" ? { address: row.matchValue } : { domain: row.matchValue },
    category: row.category,
    ...(row.note ? { note: row.note } : {}),
  });
  return parsed.success ? parsed.data : null;
}

export async function loadSenderRules(tx: Tx = autocommit()): Promise<SenderRule[]> {
  const rows = await tx.triageSenderRule.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(toSenderRule).filter((r): r is SenderRule => r !== null);
}

export async function listSenderRules(): Promise<SenderRuleDto[]> {
  return (await autocommit().triageSenderRule.findMany({ orderBy: [{ matchValue: "asc" }] })).map(toDto);
}

/** Validates the match the way stage 1 will read it (an address needs an @, a domain a dot). */
function checkMatch(input: SenderRuleInput): void {
  const check = senderRuleSchema.shape.match.safeParse(input.matchType === "address" ? { address: input.matchValue } : { domain: input.matchValue });
  if (!check.success) {
    const what = input.matchType === "address" ? "an email address" : "a domain";
    throw new AppError("validation_failed", `Sender rule is invalid (matchValue: "${input.matchValue}" is not ${what})`, {
      issues: [{ path: "matchValue", message: `is not ${what}` }],
    });
  }
}

/** Creates the rule, or changes the category of the existing rule for the same sender. */
export async function upsertSenderRule(
  tx: Tx,
  input: SenderRuleInput,
  options: { origin: (typeof RULE_ORIGINS)[number]; createdBy: string | null },
): Promise<SenderRuleDto> {
  const result = senderRuleInputSchema.safeParse(input);
  if (!result.success) throw validationError(result.error, "Sender rule");
  const parsed = result.data;
  checkMatch(parsed);
  const row = await tx.triageSenderRule.upsert({
    where: { matchType_matchValue: { matchType: parsed.matchType, matchValue: parsed.matchValue } },
    create: { id: newId("trule"), ...parsed, note: parsed.note ?? null, origin: options.origin, createdBy: options.createdBy },
    update: { category: parsed.category, ...(parsed.note !== undefined ? { note: parsed.note } : {}) },
  });
  return toDto(row);
}

export async function saveSenderRule(input: SenderRuleInput, createdBy: string | null): Promise<SenderRuleDto> {
  return upsertSenderRule(autocommit(), input, { origin: "manual", createdBy });
}

export async function deleteSenderRule(id: string): Promise<void> {
  try {
    await autocommit().triageSenderRule.delete({ where: { id } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") throw new AppError("not_found", `No sender rule ${id}`);
    throw error;
  }
}
