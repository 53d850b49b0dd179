import { z } from "zod";
import { gmailProviderFor } from "@/lib/email/accounts";
import { accountIdFilter, type MailboxScope } from "@/lib/email/mailbox-access";
import type { EmailProvider } from "@/lib/email/provider";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { isEmptyPlan, planLabels } from "./action-plan";
import { rememberLabelNames } from "./label-names";
import { triageCategorySchema } from "./categories";
import { createJobForReviewedMessage } from "./create-jobs";
import { featuresForFeedback } from "./corrections";
import { parseMessage, type MailMessage } from "./parse-message";
import { upsertSenderRule } from "./rules";
import { getCategorySettings } from "./settings";
import { activeActionOf, undoAction } from "./undo";

// The owner's decision on a message: confirm triage's category or correct it. A correction is
// recorded as feedback and, when asked, becomes a sender rule (by address or by domain) so stage 1
// decides the next message from that sender. The chosen category's actions are then applied as
// the owner's (whatever the threshold), after undoing any earlier action still in effect.

export const reviewInputSchema = z.strictObject({
  category: triageCategorySchema,
  /** Make a sender rule from this correction: for the sender's address, or their whole domain. */
  createRule: z.enum(["address", "domain"]).nullable().default(null),
  /** false = record the decision without changing the message in Gmail. */
  applyActions: z.boolean().default(true),
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

export type ReviewResult = {
  messageId: string;
  category: string;
  corrected: boolean;
  ruleId: string | null;
  actionId: string | null;
  labels: string[] | null;
};

/** `scope`: whose mailboxes the message may be in; another person's message answers 404 like a missing one. */
export async function reviewMessage(
  messageId: string,
  rawInput: ReviewInput,
  options: { actor: string; userId: string | null; scope: MailboxScope; provider?: EmailProvider },
): Promise<ReviewResult> {
  const parsed = reviewInputSchema.safeParse(rawInput);
  if (!parsed.success) throw validationError(parsed.error, "Review");
  const input = parsed.data;
  const accountId = await accountIdFilter(options.scope);
  const message = await autocommit().triagedMessage.findFirst({ where: { id: messageId, ...(accountId ? { accountId } : {}) } });
  if (!message) throw new AppError("not_found", `No triaged message ${messageId}`);
  const current = message.reviewedCategory ?? message.category;
  const corrected = input.category !== current;
  if (input.createRule && !message.fromAddress?.includes("@")) {
    throw new AppError("bad_request", "This message has no sender address to make a rule from.");
  }

  let provider = options.provider;
  const gmail = async () => (provider ??= await gmailProviderFor(message.accountId));
  const active = await activeActionOf(messageId);
  if (active && (corrected || !input.applyActions)) await undoAction(active.id, { actor: options.actor, scope: options.scope, provider: await gmail() });

  let actionRecord: { id: string; labelsAdded: string[]; labelsRemoved: string[]; labelsBefore: string[]; labelsAfter: string[] } | null = null;
  if (input.applyActions && (corrected || !active)) {
    const settings = await getCategorySettings();
    const setting = settings[input.category];
    const p = await gmail();
    const labelIds = new Map<string, string>();
    if (setting.labelName) {
      const label = await p.ensureLabel(setting.labelName);
      labelIds.set(setting.labelName.toLowerCase(), label.id);
      await rememberLabelNames(message.accountId, { [label.id]: label.name });
    }
    const before = await p.getMessageLabels(message.gmailMessageId);
    const plan = planLabels(setting, before, labelIds);
    if (!isEmptyPlan(plan)) {
      const after = await p.modifyLabels(message.gmailMessageId, plan.add, plan.remove);
      actionRecord = { id: newId("tact"), labelsAdded: plan.add, labelsRemoved: plan.remove, labelsBefore: before, labelsAfter: after };
    }
  }

  // What the learned stage learns from: the message as Gmail has it, else what triage stored of it.
  const features = corrected ? featuresForFeedback(await correctedContent(message, gmail)) : null;
  const domain = message.fromAddress?.slice(message.fromAddress.lastIndexOf("@") + 1) ?? "";
  const ruleId = await withTransaction(async (tx) => {
    const rule = input.createRule
      ? await upsertSenderRule(
          tx,
          { matchType: input.createRule, matchValue: input.createRule === "address" ? message.fromAddress! : domain, category: input.category, note: "from a review correction" },
          { origin: "correction", createdBy: options.userId },
        )
      : null;
    if (corrected) {
      await tx.triageFeedback.create({
        data: {
          id: newId("tfb"),
          messageId,
          fromCategory: current,
          toCategory: input.category,
          stage: message.stage,
          confidence: message.confidence,
          ruleId: rule?.id ?? null,
          createdBy: options.userId,
          accountId: message.accountId,
          features: features ?? undefined,
        },
      });
    }
    if (actionRecord) {
      await tx.triageAction.create({
        data: {
          ...actionRecord,
          accountId: message.accountId,
          messageId,
          gmailMessageId: message.gmailMessageId,
          syncRunId: message.syncRunId,
          kind: "review",
          category: input.category,
          actor: options.actor,
        },
      });
    }
    await tx.triagedMessage.update({
      where: { id: messageId },
      data: { status: "reviewed", reviewedCategory: input.category, reviewedBy: options.userId, reviewedAt: new Date() },
    });
    return rule?.id ?? null;
  });
  const { jobKind } = (await getCategorySettings())[input.category];
  await createJobForReviewedMessage(message, jobKind, gmail);
  return { messageId, category: input.category, corrected, ruleId, actionId: actionRecord?.id ?? null, labels: actionRecord?.labelsAfter ?? null };
}

type StoredMessage = { gmailMessageId: string; fromAddress: string | null; fromName: string | null; subject: string; snippet: string };

async function correctedContent(message: StoredMessage, gmail: () => Promise<EmailProvider>): Promise<MailMessage> {
  try {
    const batch = await (await gmail()).getRawMessages([message.gmailMessageId]);
    const raw = batch.messages[0];
    if (raw) return await parseMessage(raw.raw);
  } catch {
    // Gmail unreachable or the message gone: learn from the subject and snippet stored at triage.
  }
  return {
    messageId: null,
    from: message.fromAddress ? { address: message.fromAddress, name: message.fromName ?? "" } : null,
    to: [],
    subject: message.subject,
    date: null,
    headers: {},
    text: message.snippet,
    attachments: [],
  };
}
