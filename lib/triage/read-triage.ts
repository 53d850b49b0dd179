import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { accountIdFilter, type MailboxScope } from "@/lib/email/mailbox-access";
import { validationError } from "@/lib/errors";
import { jobOutcomeSummarySchema, summariseOutcomes, type JobOutcomeSummary } from "@/lib/jobs/job-outcome";
import { labelNamesOf } from "./label-names";
import { TRIAGE_CATEGORIES, triageCategorySchema, triageStageSchema, type TriageCategory } from "./categories";

// What the triage dashboard and API read: triaged mail (by category, or the review queue), the
// action log, and the statistics. Lists are newest first with an opaque `before` cursor (the id of
// the last row seen; ids are time-ordered).

export const MESSAGE_STATUSES = ["applied", "review", "reviewed", "none"] as const;

export const triagedMessageDtoSchema = z
  .strictObject({
    id: z.string().describe("tmsg_…"),
    accountId: z.string(),
    gmailMessageId: z.string(),
    threadId: z.string(),
    syncRunId: z.string(),
    from: z.object({ address: z.string().nullable(), name: z.string().nullable() }),
    subject: z.string(),
    snippet: z.string(),
    receivedAt: z.iso.datetime(),
    category: triageCategorySchema.describe("Triage's decision"),
    effectiveCategory: triageCategorySchema.describe("The owner's category after review, else triage's"),
    confidence: z.number(),
    stage: triageStageSchema,
    reasons: z.array(z.string()),
    status: z.enum(MESSAGE_STATUSES).describe("applied = actions done automatically; review = waits for the owner; reviewed = the owner decided; none = nothing to do"),
    reviewedCategory: triageCategorySchema.nullable(),
    reviewedAt: z.iso.datetime().nullable(),
    /** The action still in effect on the message (can be undone), if any. */
    activeActionId: z.string().nullable(),
    job: jobOutcomeSummarySchema.nullable().describe("The agent job triage handed the message to (a reply draft, say) and where it stands"),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "TriagedMessage" });
export type TriagedMessageDto = z.infer<typeof triagedMessageDtoSchema>;

export const triageActionDtoSchema = z
  .strictObject({
    id: z.string().describe("tact_…"),
    accountId: z.string(),
    messageId: z.string(),
    gmailMessageId: z.string(),
    syncRunId: z.string().nullable(),
    kind: z.enum(["apply", "review", "undo"]),
    category: triageCategorySchema,
    labelsAdded: z.array(z.string()),
    labelsRemoved: z.array(z.string()),
    labelsBefore: z.array(z.string()),
    labelsAfter: z.array(z.string()),
    actor: z.string(),
    undoneAt: z.iso.datetime().nullable(),
    undoActionId: z.string().nullable(),
    undoesActionId: z.string().nullable(),
    subject: z.string().nullable(),
    fromAddress: z.string().nullable(),
    labelNames: z.record(z.string(), z.string()).describe("Names of the user labels in labelsBefore/labelsAfter, by id (system labels such as INBOX are their own names)"),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "TriageAction" });
export type TriageActionDto = z.infer<typeof triageActionDtoSchema>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

type MessageRow = Prisma.TriagedMessageGetPayload<object>;

async function activeActions(messageIds: string[]): Promise<Map<string, string>> {
  if (messageIds.length === 0) return new Map();
  const rows = await autocommit().triageAction.findMany({
    where: { messageId: { in: messageIds }, kind: { not: "undo" }, undoneAt: null },
    select: { id: true, messageId: true },
    orderBy: { createdAt: "asc" },
  });
  return new Map(rows.map((r) => [r.messageId, r.id]));
}

/** The jobs linked to the messages (triaged_messages.job_id), summarised in a fixed number of queries. */
function jobsOf(rows: MessageRow[]): Promise<Map<string, JobOutcomeSummary>> {
  return summariseOutcomes(autocommit(), rows.map((r) => r.jobId).filter((id): id is string => id !== null));
}

function toMessageDto(row: MessageRow, activeActionId: string | null, job: JobOutcomeSummary | null): TriagedMessageDto {
  return triagedMessageDtoSchema.parse({
    id: row.id,
    accountId: row.accountId,
    gmailMessageId: row.gmailMessageId,
    threadId: row.threadId,
    syncRunId: row.syncRunId,
    from: { address: row.fromAddress, name: row.fromName },
    subject: row.subject,
    snippet: row.snippet,
    receivedAt: row.receivedAt.toISOString(),
    category: row.category,
    effectiveCategory: row.reviewedCategory ?? row.category,
    confidence: row.confidence,
    stage: row.stage,
    reasons: row.reasons,
    status: row.status,
    reviewedCategory: row.reviewedCategory,
    reviewedAt: iso(row.reviewedAt),
    activeActionId,
    job,
    createdAt: row.createdAt.toISOString(),
  });
}

export const messageFiltersSchema = z.object({
  category: triageCategorySchema.optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  accountId: z.string().optional(),
  syncRunId: z.string().optional(),
  before: z.string().optional().describe("Cursor: the id of the last message of the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MessageFilters = z.input<typeof messageFiltersSchema>;

export type Page<T> = { items: T[]; nextCursor: string | null };

/** The scope's triaged mail, newest first; another person's mailbox matches nothing. */
export async function listTriagedMessages(scope: MailboxScope, rawFilters: MessageFilters = {}): Promise<Page<TriagedMessageDto>> {
  const f = parseOrThrow(messageFiltersSchema, rawFilters, "Message filters");
  const accountId = await accountIdFilter(scope, f.accountId);
  const rows = await autocommit().triagedMessage.findMany({
    where: {
      ...(f.category ? { OR: [{ reviewedCategory: f.category }, { reviewedCategory: null, category: f.category }] } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(accountId ? { accountId } : {}),
      ...(f.syncRunId ? { syncRunId: f.syncRunId } : {}),
      ...(f.before ? { id: { lt: f.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const [active, jobs] = await Promise.all([activeActions(page.map((r) => r.id)), jobsOf(page)]);
  return {
    items: page.map((r) => toMessageDto(r, active.get(r.id) ?? null, (r.jobId && jobs.get(r.jobId)) || null)),
    nextCursor: rows.length > f.limit ? page.at(-1)!.id : null,
  };
}

/** One message of the scope's mailboxes; null when there is none or it is someone else's. */
export async function getTriagedMessage(scope: MailboxScope, id: string): Promise<TriagedMessageDto | null> {
  const accountId = await accountIdFilter(scope);
  const row = await autocommit().triagedMessage.findFirst({ where: { id, ...(accountId ? { accountId } : {}) } });
  if (!row) return null;
  const [active, jobs] = await Promise.all([activeActions([id]), jobsOf([row])]);
  return toMessageDto(row, active.get(id) ?? null, (row.jobId && jobs.get(row.jobId)) || null);
}

export const actionFiltersSchema = z.object({
  accountId: z.string().optional(),
  syncRunId: z.string().optional(),
  messageId: z.string().optional(),
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ActionFilters = z.input<typeof actionFiltersSchema>;

export async function listActions(scope: MailboxScope, rawFilters: ActionFilters = {}): Promise<Page<TriageActionDto>> {
  const f = parseOrThrow(actionFiltersSchema, rawFilters, "Action filters");
  const accountId = await accountIdFilter(scope, f.accountId);
  const rows = await autocommit().triageAction.findMany({
    where: {
      ...(accountId ? { accountId } : {}),
      ...(f.syncRunId ? { syncRunId: f.syncRunId } : {}),
      ...(f.messageId ? { messageId: f.messageId } : {}),
      ...(f.before ? { id: { lt: f.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const messages = await autocommit().triagedMessage.findMany({
    where: { id: { in: [...new Set(page.map((r) => r.messageId))] } },
    select: { id: true, subject: true, fromAddress: true },
  });
  const byId = new Map(messages.map((m) => [m.id, m]));
  const namesByAccount = await labelNamesOf(page.map((r) => r.accountId));
  const namesFor = (row: (typeof page)[number]) => {
    const known = namesByAccount.get(row.accountId) ?? {};
    return Object.fromEntries([...row.labelsBefore, ...row.labelsAfter].filter((id) => known[id]).map((id) => [id, known[id]!]));
  };
  const items = page.map((row) =>
    triageActionDtoSchema.parse({
      ...row,
      labelNames: namesFor(row),
      subject: byId.get(row.messageId)?.subject ?? null,
      fromAddress: byId.get(row.messageId)?.fromAddress ?? null,
      undoneAt: iso(row.undoneAt),
      createdAt: row.createdAt.toISOString(),
    }),
  );
  return { items, nextCursor: rows.length > f.limit ? page.at(-1)!.id : null };
}

export const triageStatsDtoSchema = z
  .strictObject({
    total: z.number().int().describe("Messages triaged"),
    byCategory: z.object(Object.fromEntries(TRIAGE_CATEGORIES.map((c) => [c, z.number().int()])) as Record<TriageCategory, z.ZodNumber>),
    byStage: z.object({ rule: z.number().int(), heuristic: z.number().int(), learned: z.number().int(), model: z.number().int() }),
    stageOneShare: z.number().describe("Share of triaged mail that stage 1 (rules, heuristics, the learned stage) decided with confidence on its own, 0..1"),
    modelCalls: z.number().int(),
    autoApplied: z.number().int().describe("Actions applied automatically (or nothing to do) above the threshold"),
    awaitingReview: z.number().int(),
    reviewed: z.number().int(),
    corrections: z.number().int(),
    undone: z.number().int().describe("Actions undone"),
  })
  .meta({ id: "TriageStats" });
export type TriageStatsDto = z.infer<typeof triageStatsDtoSchema>;

async function countCorrections(accountId: Awaited<ReturnType<typeof accountIdFilter>>): Promise<number> {
  if (accountId === undefined) return autocommit().triageFeedback.count();
  const ids = typeof accountId === "string" ? [accountId] : (accountId.in ?? []);
  if (ids.length === 0) return 0;
  const [row] = await autocommit().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM triage_feedback f JOIN triaged_messages m ON m.id = f.message_id WHERE m.account_id = ANY(${ids})`;
  return row?.n ?? 0;
}

/** The figures of the scope's mailboxes (or of one of them); someone else's counts as empty. */
export async function triageStats(scope: MailboxScope, options: { accountId?: string } = {}): Promise<TriageStatsDto> {
  const db = autocommit();
  const accountId = await accountIdFilter(scope, options.accountId);
  const where = accountId ? { accountId } : {};
  const [byCategory, byStage, byStatus, modelCalls, corrections, undone] = await Promise.all([
    db.triagedMessage.groupBy({ by: ["category"], where, _count: { _all: true } }),
    db.triagedMessage.groupBy({ by: ["stage"], where, _count: { _all: true } }),
    db.triagedMessage.groupBy({ by: ["status"], where, _count: { _all: true } }),
    db.triageSyncRun.aggregate({ where, _sum: { modelCalls: true, stageOneDecided: true, autoApplied: true, queuedForReview: true } }),
    countCorrections(accountId),
    db.triageAction.count({ where: { ...where, undoneAt: { not: null } } }),
  ]);
  const count = <K extends string>(rows: ({ _count: { _all: number } } & Record<string, unknown>)[], key: string, value: K) =>
    rows.find((r) => r[key] === value)?._count._all ?? 0;
  const total = byStatus.reduce((sum, r) => sum + r._count._all, 0);
  const triagedInRuns = (modelCalls._sum.autoApplied ?? 0) + (modelCalls._sum.queuedForReview ?? 0);
  const stage = Object.fromEntries(triageStageSchema.options.map((s) => [s, count(byStage, "stage", s)]));
  return triageStatsDtoSchema.parse({
    total,
    byCategory: Object.fromEntries(TRIAGE_CATEGORIES.map((c: TriageCategory) => [c, count(byCategory, "category", c)])),
    byStage: stage,
    stageOneShare: triagedInRuns === 0 ? 0 : (modelCalls._sum.stageOneDecided ?? 0) / triagedInRuns,
    modelCalls: modelCalls._sum.modelCalls ?? 0,
    autoApplied: count(byStatus, "status", "applied") + count(byStatus, "status", "none"),
    awaitingReview: count(byStatus, "status", "review"),
    reviewed: count(byStatus, "status", "reviewed"),
    corrections,
    undone,
  });
}
