import type { LanguageModel } from "ai";
import { RetryLater } from "@/lib/background/retry-later";
import { chatModel, chatModelConfigured } from "@/lib/chat/model";
import { getConfig } from "@/lib/config";
import { gmailProviderFor } from "@/lib/email/accounts";
import type { EmailProvider, RawMessage } from "@/lib/email/provider";
import { autocommit } from "@/lib/db/transaction";
import { AppError, isAppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import { applyPlan, isEmptyPlan, planKey, planLabels, type LabelPlan } from "./action-plan";
import type { TriageCategory } from "./categories";
import { rememberLabelNames } from "./label-names";
import { createTriageJobs, type JobCandidate } from "./create-jobs";
import { parseMessage, type MailMessage } from "./parse-message";
import { loadAdjustments } from "./corrections";
import type { Adjustments } from "./learned-model";
import { loadSenderRules } from "./rules";
import { getCategorySettings, type CategorySettings } from "./settings";
import { listForSync } from "./sync-listing";
import { toSyncRunDto, type SyncRunDto } from "./sync-runs";
import { recordBatch, type ActionRecord, type MessageRecord } from "./record-batch";
import { acquireSyncLease, advanceHistoryId, releaseSyncLease } from "./sync-lease";
import { triageMessage } from "./triage";

// Executes one sync run: list what is new, fetch it in batches, triage each message (stage 1, the
// model only for what stage 1 leaves ambiguous), apply the category's actions when the confidence
// reaches the category's threshold (else the message waits in review), and record decisions and
// actions together. A message is triaged once per mailbox (unique account + message id, checked
// before fetching), one sync per mailbox runs at a time (a lease), and the history id moves
// forward only after a run succeeded, so a failed run is simply covered by the next one.

export const SYNC_BATCH_SIZE = 100;
const MODEL_CONCURRENCY = 4;
const SKIP_LABELS = new Set(["SPAM", "TRASH", "DRAFT", "SENT", "CHAT"]);

export type SyncDependencies = {
  /** Defaults to the account's Gmail provider. */
  provider?: EmailProvider;
  /** null = stage 1 only; defaults to TRIAGE_MODEL / CHAT_DEFAULT_MODEL when a model server is configured. */
  model?: LanguageModel | null;
  now?: () => Date;
  batchSize?: number;
};

export function triageModel(): LanguageModel | null {
  const config = getConfig();
  if (config.TRIAGE_MODEL?.toLowerCase() === "off" || !chatModelConfigured()) return null;
  return chatModel(config.TRIAGE_MODEL ?? config.CHAT_DEFAULT_MODEL);
}

type Triaged = {
  raw: RawMessage;
  category: TriageCategory;
  confidence: number;
  stage: string;
  reasons: string[];
  decidedByStageOne: boolean;
  modelCalls: number;
  from: { address: string; name: string } | null;
  subject: string;
  snippet: string;
  plan: LabelPlan | null; // null = waits in review
  /** Kept only when the category hands sure mail to agents (a job is made from it). */
  forJob: MailMessage | null;
};

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

class RunContext {
  readonly labelIds = new Map<string, string>();
  constructor(
    readonly runId: string,
    readonly accountId: string,
    readonly provider: EmailProvider,
    readonly settings: CategorySettings,
    readonly rules: Awaited<ReturnType<typeof loadSenderRules>>,
    readonly model: LanguageModel | null,
    readonly adjustments: Adjustments,
  ) {}

  /** Creates (or finds) every label the settings name, once per run. */
  async prepareLabels(): Promise<void> {
    const names: Record<string, string> = {};
    for (const setting of Object.values(this.settings)) {
      if (!setting.labelName || this.labelIds.has(setting.labelName.toLowerCase())) continue;
      const label = await this.provider.ensureLabel(setting.labelName);
      this.labelIds.set(setting.labelName.toLowerCase(), label.id);
      names[label.id] = label.name;
    }
    await rememberLabelNames(this.accountId, names);
  }

  /** Model calls this run may still make (TRIAGE_MODEL_MAX_CALLS_PER_RUN). */
  modelCallsLeft = getConfig().TRIAGE_MODEL_MAX_CALLS_PER_RUN;

  async triage(raw: RawMessage): Promise<Triaged> {
    const message = await parseMessage(raw.raw);
    const { decision, modelCalls } = await triageMessage(message, {
      rules: this.rules,
      adjustments: this.adjustments,
      model: this.model ?? undefined,
      // Claimed before the call, so parallel triage never overshoots the cap.
      mayCallModel: () => this.modelCallsLeft-- > 0,
    });
    const setting = this.settings[decision.category];
    const automatic = decision.confidence >= setting.threshold;
    return {
      raw,
      category: decision.category,
      confidence: decision.confidence,
      stage: decision.stage,
      reasons: decision.reasons,
      decidedByStageOne: decision.stage !== "model" && decision.decided,
      modelCalls,
      from: message.from,
      subject: message.subject.slice(0, 500),
      snippet: message.text.slice(0, 200),
      plan: automatic ? planLabels(setting, raw.labelIds, this.labelIds) : null,
      forJob: automatic && setting.jobKind ? message : null,
    };
  }

  /** Applies the automatic changes, one batch call per distinct change. */
  async apply(items: Triaged[]): Promise<void> {
    const groups = new Map<string, { plan: LabelPlan; ids: string[] }>();
    for (const item of items) {
      if (!item.plan || isEmptyPlan(item.plan)) continue;
      const key = planKey(item.plan);
      const group = groups.get(key) ?? { plan: item.plan, ids: [] };
      group.ids.push(item.raw.id);
      groups.set(key, group);
    }
    for (const { plan, ids } of groups.values()) await this.provider.modifyLabelsMany(ids, plan.add, plan.remove);
  }

  /** Records decisions, actions and the run's counters in one transaction, then the agents' jobs. */
  async record(items: Triaged[], skipped: number): Promise<void> {
    const messages: MessageRecord[] = items.map((item) => ({
      id: newId("tmsg"),
      accountId: this.accountId,
      gmailMessageId: item.raw.id,
      threadId: item.raw.threadId,
      syncRunId: this.runId,
      fromAddress: item.from?.address ?? null,
      fromName: item.from?.name || null,
      subject: item.subject,
      snippet: item.snippet,
      receivedAt: item.raw.receivedAt,
      category: item.category,
      confidence: item.confidence,
      stage: item.stage,
      reasons: item.reasons,
      status: item.plan === null ? "review" : isEmptyPlan(item.plan) ? "none" : "applied",
      labelsAtTriage: item.raw.labelIds,
    }));
    const actions: ActionRecord[] = items.flatMap((item, index) =>
      item.plan && !isEmptyPlan(item.plan)
        ? [
            {
              id: newId("tact"),
              accountId: this.accountId,
              messageId: messages[index]!.id,
              gmailMessageId: item.raw.id,
              syncRunId: this.runId,
              kind: "apply",
              category: item.category,
              labelsAdded: item.plan.add,
              labelsRemoved: item.plan.remove,
              labelsBefore: item.raw.labelIds,
              labelsAfter: applyPlan(item.raw.labelIds, item.plan),
              actor: "triage",
            },
          ]
        : [],
    );
    await recordBatch(this.runId, this.accountId, messages, actions, {
      processed: items.length + skipped,
      skipped,
      autoApplied: messages.filter((m) => m.status !== "review").length,
      queuedForReview: messages.filter((m) => m.status === "review").length,
      stageOneDecided: items.filter((i) => i.decidedByStageOne).length,
      modelCalls: items.reduce((sum, i) => sum + i.modelCalls, 0),
    });
    const candidates: JobCandidate[] = items.flatMap((item, index) => {
      const jobKind = this.settings[item.category].jobKind;
      return item.forJob && jobKind
        ? [{ messageId: messages[index]!.id, gmailMessageId: item.raw.id, threadId: item.raw.threadId, message: item.forJob, jobKind }]
        : [];
    });
    if (candidates.length) await createTriageJobs(this.accountId, candidates);
  }
}

async function alreadyTriaged(accountId: string, ids: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += 5_000) {
    const rows = await autocommit().triagedMessage.findMany({
      where: { accountId, gmailMessageId: { in: ids.slice(i, i + 5_000) } },
      select: { gmailMessageId: true },
    });
    for (const row of rows) known.add(row.gmailMessageId);
  }
  return known;
}

function describeFailure(error: unknown): string {
  if (isAppError(error)) return error.message;
  return "The sync failed unexpectedly; the server log has the details. The next sync picks up where this one stopped.";
}

/**
 * Runs a persisted sync run to its end. Idempotent: a finished run is returned as it is. Throws
 * RetryLater while another sync holds the mailbox; any other failure is recorded on the run (and
 * on the account when its authorization is gone) and the run is returned failed.
 */
export type ExecutedRun = SyncRunDto & { /** An empty push/poll run, not kept. */ discarded?: boolean };

export async function executeSyncRun(runId: string, deps: SyncDependencies = {}): Promise<ExecutedRun> {
  const db = autocommit();
  const found = await db.triageSyncRun.findUnique({ where: { id: runId } });
  if (!found) throw new AppError("not_found", `No sync run ${runId}`);
  if (found.status === "succeeded" || found.status === "failed") return toSyncRunDto(found);
  const log = getLogger({ component: "triage-sync", runId, accountId: found.accountId });
  if (!(await acquireSyncLease(found.accountId, runId))) throw new RetryLater("Another sync of this mailbox is running", 5_000);
  const now = deps.now ?? (() => new Date());
  try {
    // A run re-executed after a crash starts over; messages it already recorded are skipped.
    await db.triageSyncRun.update({
      where: { id: runId },
      data: { status: "running", startedAt: now(), processed: 0, skipped: 0, autoApplied: 0, queuedForReview: 0, stageOneDecided: 0, modelCalls: 0, error: null },
    });
    const account = await db.emailAccount.findUnique({ where: { id: found.accountId }, select: { historyId: true, status: true } });
    if (!account || account.status === "disconnected") throw new AppError("conflict", "The email account is disconnected; nothing was synced.");
    const provider = deps.provider ?? (await gmailProviderFor(found.accountId));
    const [settings, rules, adjustments] = await Promise.all([getCategorySettings(), loadSenderRules(), loadAdjustments(found.accountId)]);
    const model = deps.model === undefined ? triageModel() : deps.model;
    const ctx = new RunContext(runId, found.accountId, provider, settings, rules, model, adjustments);

    const listing = await listForSync(provider, found, account, { now: now(), fullSyncMax: getConfig().TRIAGE_BACKFILL_MAX });
    if (listing.fellBackBecause) log.warn({ startHistoryId: listing.startHistoryId }, "history expired; running a bounded full sync");
    const known = await alreadyTriaged(found.accountId, listing.messageIds);
    const todo = listing.messageIds.filter((id) => !known.has(id));
    await db.triageSyncRun.update({
      where: { id: runId },
      data: { kind: listing.kind, startHistoryId: listing.startHistoryId, total: listing.messageIds.length, processed: known.size, skipped: known.size },
    });
    if (todo.length) await ctx.prepareLabels();

    // The next batch is fetched while this one is triaged, applied and recorded.
    const batchSize = deps.batchSize ?? SYNC_BATCH_SIZE;
    const fetchBatch = (start: number) => {
      if (start >= todo.length) return null;
      const fetching = provider.getRawMessages(todo.slice(start, start + batchSize));
      fetching.catch(() => {}); // awaited below; a failure of a prefetch nobody awaits is not unhandled
      return fetching;
    };
    let next = fetchBatch(0);
    for (let i = 0; next; i += batchSize) {
      const batch = await next;
      next = fetchBatch(i + batchSize);
      const inInbox = batch.messages.filter((m) => m.labelIds.includes("INBOX") && !m.labelIds.some((l) => SKIP_LABELS.has(l)));
      const items = await mapLimited(inInbox, ctx.model ? MODEL_CONCURRENCY : 1, (raw) => ctx.triage(raw));
      await ctx.apply(items);
      await ctx.record(items, batch.missing.length + batch.messages.length - inInbox.length);
    }

    await advanceHistoryId(found.accountId, listing.endHistoryId, now());
    const done = await db.triageSyncRun.update({
      where: { id: runId },
      data: { status: "succeeded", endHistoryId: listing.endHistoryId, finishedAt: now(), error: listing.fellBackBecause ?? null },
    });
    log.info({ kind: done.kind, total: done.total, autoApplied: done.autoApplied, review: done.queuedForReview }, "sync finished");
    // Pushes for triage's own label changes and polls of a quiet mailbox find nothing new; keeping
    // a run for each would bury the ones that did something (the mailbox's last sync time says it ran).
    if (done.kind === "incremental" && done.total === 0 && (done.trigger === "push" || done.trigger === "poll")) {
      await db.triageSyncRun.delete({ where: { id: runId } });
      return { ...toSyncRunDto(done), id: runId, discarded: true };
    }
    return toSyncRunDto(done);
  } catch (error) {
    log.error({ err: error }, "sync failed");
    const message = describeFailure(error);
    if (isAppError(error) && error.code === "unauthorized") {
      await db.emailAccount.update({ where: { id: found.accountId }, data: { status: "error", lastError: message } });
    }
    const failed = await db.triageSyncRun.update({ where: { id: runId }, data: { status: "failed", error: message, finishedAt: now() } });
    return toSyncRunDto(failed);
  } finally {
    await releaseSyncLease(found.accountId, runId);
  }
}
