import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { ownedAccountsWhere, type MailboxScope } from "@/lib/email/mailbox-access";
import { definePipeline, type Actor } from "@/lib/pipelines/define";
import { executeSyncRun } from "@/lib/triage/sync";
import { insertSyncRun } from "@/lib/triage/sync-runs";
import { RetryLater } from "@/lib/background/retry-later";

// Triage the inbox now: an incremental sync (or a backfill) of each connected Gmail account, run
// to its end, with the same thresholds, actions and action log as push-driven syncs. It changes
// labels in Gmail (never deletes or sends), so assistants ask before they run it. Started by a
// person (the dashboard, the API, their chat), it covers only the mailboxes they connected, like
// their Triage page; a schedule, an event, an agent or the CLI covers every mailbox.

const accountSummary = z.object({
  accountId: z.string(),
  emailAddress: z.string(),
  runId: z.string().nullable(),
  status: z.enum(["succeeded", "failed", "busy"]),
  kind: z.string().nullable(),
  total: z.number().int(),
  autoApplied: z.number().int(),
  queuedForReview: z.number().int(),
  modelCalls: z.number().int(),
  error: z.string().nullable(),
});

/** Whose mailboxes a run covers: a person's own; everyone else's run is the operator's (all). */
async function scopeOf(actor: Actor): Promise<MailboxScope> {
  if (actor.type !== "user") return "operator";
  const user = await autocommit().user.findUnique({ where: { id: actor.id }, select: { id: true, role: true } });
  // A person who no longer exists owns nothing.
  return user ?? { id: actor.id, role: "viewer" };
}

export const emailTriage = definePipeline({
  name: "email.triage",
  title: "Triage the inbox",
  description:
    "Syncs connected Gmail accounts and sorts new mail into action needed, finance, notifications, newsletters and other. " +
    "Confident decisions get the category's label/archive/mark-read actions; the rest wait in the review queue. " +
    "kind=backfill looks back sinceDays (default from TRIAGE_BACKFILL_DAYS) instead of at new mail only.",
  input: z.object({
    accountId: z.string().trim().min(1).optional().describe("One account (eml_…); all connected accounts when left out"),
    kind: z.enum(["incremental", "backfill"]).default("incremental"),
    sinceDays: z.number().int().min(1).max(365).optional(),
    maxMessages: z.number().int().min(1).max(50_000).optional(),
  }),
  output: z.object({ accounts: z.array(accountSummary) }),
  areas: ["inbox", "operations"],
  sideEffects: "external",
  timeoutMs: 15 * 60_000,
  async run(input, ctx) {
    const scope = await scopeOf(ctx.actor);
    const accounts = await autocommit().emailAccount.findMany({
      where: { status: { not: "disconnected" }, ...(input.accountId ? { id: input.accountId } : {}), ...ownedAccountsWhere(scope) },
      select: { id: true, emailAddress: true },
      orderBy: { emailAddress: "asc" },
    });
    if (accounts.length === 0) {
      throw new AppError(input.accountId ? "not_found" : "conflict", input.accountId ? `No connected email account ${input.accountId}` : "No Gmail account is connected; connect one on the Triage page.");
    }
    const results: z.input<typeof accountSummary>[] = [];
    for (const account of accounts) {
      ctx.signal.throwIfAborted();
      const run = await insertSyncRun(autocommit(), {
        accountId: account.id,
        kind: input.kind,
        trigger: "pipeline",
        requestedBy: ctx.actor.type === "user" ? ctx.actor.id : null,
        sinceDays: input.sinceDays,
        maxMessages: input.maxMessages,
      });
      try {
        const done = await executeSyncRun(run.id);
        results.push({ accountId: account.id, emailAddress: account.emailAddress, runId: done.id, status: done.status === "succeeded" ? "succeeded" : "failed", kind: done.kind, total: done.total, autoApplied: done.autoApplied, queuedForReview: done.queuedForReview, modelCalls: done.modelCalls, error: done.error });
      } catch (error) {
        if (!(error instanceof RetryLater)) throw error;
        await autocommit().triageSyncRun.update({ where: { id: run.id }, data: { status: "failed", error: "Another sync of this mailbox was running; it covers the same mail.", finishedAt: new Date() } });
        results.push({ accountId: account.id, emailAddress: account.emailAddress, runId: run.id, status: "busy", kind: input.kind, total: 0, autoApplied: 0, queuedForReview: 0, modelCalls: 0, error: "Another sync of this mailbox is running." });
      }
    }
    return { accounts: results };
  },
});
