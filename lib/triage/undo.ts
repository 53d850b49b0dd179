import { Prisma } from "@/generated/prisma/client";
import { gmailProviderFor } from "@/lib/email/accounts";
import { accountIdFilter, type MailboxScope } from "@/lib/email/mailbox-access";
import type { EmailProvider } from "@/lib/email/provider";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordTriageUndos } from "@/lib/observability/observe";
import { applyPlan, invertPlan, planKey, type LabelPlan } from "./action-plan";

// Undo: reverse exactly what an action changed (add back what it removed, remove what it added),
// one message at a time or a whole sync run at once. Labels the owner changed meanwhile are left
// alone. An undo is logged as an action of its own, and the message goes back to the review queue.

export type ActionRow = Prisma.TriageActionGetPayload<object>;

/** `scope`: whose mailboxes the action or run may be in; another person's answers 404 like a missing one. */
export type UndoOptions = { actor: string; scope: MailboxScope; provider?: EmailProvider };

const planOf = (action: ActionRow): LabelPlan => ({ add: action.labelsAdded, remove: action.labelsRemoved });

function undoRecord(action: ActionRow, actor: string, labelsBefore: string[], labelsAfter: string[]) {
  const inverse = invertPlan(planOf(action));
  return {
    id: newId("tact"),
    accountId: action.accountId,
    messageId: action.messageId,
    gmailMessageId: action.gmailMessageId,
    syncRunId: action.syncRunId,
    kind: "undo",
    category: action.category,
    labelsAdded: inverse.add,
    labelsRemoved: inverse.remove,
    labelsBefore,
    labelsAfter,
    actor,
    undoesActionId: action.id,
  };
}

async function recordUndos(undos: ReturnType<typeof undoRecord>[], extra?: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<void> {
  const now = new Date();
  await withTransaction(async (tx) => {
    await tx.triageAction.createMany({ data: undos });
    for (const undo of undos) {
      await tx.triageAction.update({ where: { id: undo.undoesActionId }, data: { undoneAt: now, undoActionId: undo.id } });
    }
    await tx.triagedMessage.updateMany({
      where: { id: { in: undos.map((u) => u.messageId) } },
      data: { status: "review", reviewedAt: null, reviewedBy: null, reviewedCategory: null },
    });
    await extra?.(tx);
  });
  recordTriageUndos(undos.length);
}

async function undoableAction(scope: MailboxScope, actionId: string): Promise<ActionRow> {
  const accountId = await accountIdFilter(scope);
  const action = await autocommit().triageAction.findFirst({ where: { id: actionId, ...(accountId ? { accountId } : {}) } });
  if (!action) throw new AppError("not_found", `No triage action ${actionId}`);
  if (action.kind === "undo") throw new AppError("conflict", "This entry is itself an undo; apply the category again from the review queue instead.");
  if (action.undoneAt) throw new AppError("conflict", "This action was already undone.");
  return action;
}

/** Undoes one action on one message; returns the undo entry's id and the message's labels afterwards. */
export async function undoAction(actionId: string, options: UndoOptions): Promise<{ undoActionId: string; labels: string[] }> {
  const action = await undoableAction(options.scope, actionId);
  const provider = options.provider ?? (await gmailProviderFor(action.accountId));
  const inverse = invertPlan(planOf(action));
  const before = await provider.getMessageLabels(action.gmailMessageId);
  const after = await provider.modifyLabels(action.gmailMessageId, inverse.add, inverse.remove);
  const record = undoRecord(action, options.actor, before, after);
  await recordUndos([record]);
  return { undoActionId: record.id, labels: after };
}

/** The newest action on a message that is still in effect (not undone, not an undo). */
export async function activeActionOf(messageId: string): Promise<ActionRow | null> {
  return autocommit().triageAction.findFirst({
    where: { messageId, kind: { not: "undo" }, undoneAt: null },
    orderBy: { createdAt: "desc" },
  });
}

/** Undoes every action a sync run applied automatically and that is still in effect. */
export async function undoSyncRun(runId: string, options: UndoOptions): Promise<{ undone: number }> {
  const accountId = await accountIdFilter(options.scope);
  const run = await autocommit().triageSyncRun.findFirst({ where: { id: runId, ...(accountId ? { accountId } : {}) } });
  if (!run) throw new AppError("not_found", `No sync run ${runId}`);
  if (run.status === "queued" || run.status === "running") throw new AppError("conflict", "This sync is still running; undo it when it has finished.");
  const actions = await autocommit().triageAction.findMany({ where: { syncRunId: runId, kind: "apply", undoneAt: null }, orderBy: { createdAt: "asc" } });
  if (actions.length === 0) {
    await autocommit().triageSyncRun.update({ where: { id: runId }, data: { undoneAt: run.undoneAt ?? new Date() } });
    return { undone: 0 };
  }
  const provider = options.provider ?? (await gmailProviderFor(run.accountId));
  const groups = new Map<string, { plan: LabelPlan; ids: string[] }>();
  for (const action of actions) {
    const inverse = invertPlan(planOf(action));
    const key = planKey(inverse);
    const group = groups.get(key) ?? { plan: inverse, ids: [] };
    group.ids.push(action.gmailMessageId);
    groups.set(key, group);
  }
  for (const { plan, ids } of groups.values()) await provider.modifyLabelsMany(ids, plan.add, plan.remove);
  // batchModify answers nothing: the labels after are computed from what the action left behind.
  const records = actions.map((a) => undoRecord(a, options.actor, a.labelsAfter, applyPlan(a.labelsAfter, invertPlan(planOf(a)))));
  await recordUndos(records, (tx) => tx.triageSyncRun.update({ where: { id: runId }, data: { undoneAt: new Date() } }));
  return { undone: records.length };
}
