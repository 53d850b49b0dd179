import { z } from "zod";
import type { MailboxScope } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { TRIAGE_CATEGORIES, triageCategorySchema, type TriageCategory } from "./categories";
import { getTriagedMessage, listActions, listTriagedMessages, type ActionFilters, type MessageFilters, type TriageActionDto, type TriagedMessageDto } from "./read-triage";
import { categorySettingSchema } from "./settings";
import { listSyncRuns, type SyncRunDto } from "./sync-runs";

// Request shapes of the triage API (app/api/triage) and the reads it answers with, named the way
// the other list endpoints name theirs (`{ messages, nextCursor }`). The OpenAPI document is built
// from these schemas (each route declares them in handle(); response shapes in ./api-schemas.ts).

export const startSyncBody = z
  .strictObject({
    accountId: z.string().min(1).describe("The mailbox (eml_…)"),
    kind: z.enum(["backfill", "incremental"]).describe("backfill = recent mail by date; incremental = what changed since the last sync"),
    sinceDays: z.number().int().min(1).max(365).optional().describe("Backfill only: how many days back (default TRIAGE_BACKFILL_DAYS)"),
    maxMessages: z.number().int().min(1).max(50_000).optional().describe("Backfill only: at most this many messages (default TRIAGE_BACKFILL_MAX)"),
  })
  .meta({ id: "TriageSyncRequest" });
export type StartSyncBody = z.infer<typeof startSyncBody>;

export const listRunsQuery = z.object({
  accountId: z.string().optional().describe("Only this mailbox's runs"),
  before: z.string().optional().describe("Cursor: the id of the last run of the previous page"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const statsQuery = z.object({ accountId: z.string().optional().describe("Only this mailbox's figures") });

/** PUT /api/triage/settings/{category}: the category comes from the path. */
export const categorySettingBody = categorySettingSchema.omit({ category: true }).meta({ id: "TriageCategorySettingInput" });

/** The category named in a path, or 404. */
export function categoryFromPath(value: string): TriageCategory {
  const parsed = triageCategorySchema.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", `No triage category ${value}; the categories are ${TRIAGE_CATEGORIES.join(", ")}`);
  return parsed.data;
}

export async function listMessagesPage(scope: MailboxScope, filters: MessageFilters): Promise<{ messages: TriagedMessageDto[]; nextCursor: string | null }> {
  const page = await listTriagedMessages(scope, filters);
  return { messages: page.items, nextCursor: page.nextCursor };
}

/** One triaged message of the scope's mailboxes with every action taken on it (newest first), or 404. */
export async function getMessageDetail(scope: MailboxScope, id: string): Promise<{ message: TriagedMessageDto; actions: TriageActionDto[] }> {
  const message = await getTriagedMessage(scope, id);
  if (!message) throw new AppError("not_found", `No triaged message ${id}`);
  const { items } = await listActions(scope, { messageId: id, limit: 100 });
  return { message, actions: items };
}

export async function listActionsPage(scope: MailboxScope, filters: ActionFilters): Promise<{ actions: TriageActionDto[]; nextCursor: string | null }> {
  const page = await listActions(scope, filters);
  return { actions: page.items, nextCursor: page.nextCursor };
}

export async function listRunsPage(scope: MailboxScope, query: z.infer<typeof listRunsQuery>): Promise<{ runs: SyncRunDto[]; nextCursor: string | null }> {
  const rows = await listSyncRuns(scope, { accountId: query.accountId, before: query.before, limit: query.limit + 1 });
  const runs = rows.slice(0, query.limit);
  return { runs, nextCursor: rows.length > query.limit ? runs.at(-1)!.id : null };
}
