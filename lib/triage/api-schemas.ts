import { z } from "zod";
import { errorResponse, pathParameter } from "@/lib/openapi/operations";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";
import { type getMessageDetail, type listActionsPage, type listMessagesPage, type listRunsPage } from "@/lib/triage/api";
import { TRIAGE_CATEGORIES } from "@/lib/triage/categories";
import { triageActionDtoSchema, triagedMessageDtoSchema, triageStatsDtoSchema, type triageStats } from "@/lib/triage/read-triage";
import { type ReviewResult } from "@/lib/triage/review";
import { senderRuleDtoSchema, type listSenderRules } from "@/lib/triage/rules";
import { categorySettingSchema, type saveCategorySetting } from "@/lib/triage/settings";
import { syncRunDtoSchema } from "@/lib/triage/sync-runs";
import type { undoAction, undoSyncRun } from "@/lib/triage/undo";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Email triage: triaged mail and the review queue, the action log and undo (one action or a whole
// sync run), sync runs with their progress, the statistics, and what each category does.

export const nextCursor = z.string().nullable().describe("Pass as `before` for the next page; null on the last page");

export const messagePageSchema = z.object({ messages: z.array(triagedMessageDtoSchema).describe("Newest first"), nextCursor });
export const messageDetailSchema = z.object({
  message: triagedMessageDtoSchema,
  actions: z.array(triageActionDtoSchema).describe("Every action on the message, newest first"),
});
export const reviewResultSchema = z.object({
  messageId: z.string(),
  category: z.string().describe("The category the owner chose"),
  corrected: z.boolean().describe("True when it differs from the category the message had"),
  ruleId: z.string().nullable().describe("The sender rule made or updated from this review"),
  actionId: z.string().nullable().describe("The action applied in Gmail; null when nothing had to change"),
  labels: z.array(z.string()).nullable().describe("The message's labels afterwards, when an action was applied"),
});
export const reviewResponseSchema = z.object({ review: reviewResultSchema, message: triagedMessageDtoSchema });
export const actionPageSchema = z.object({ actions: z.array(triageActionDtoSchema).describe("Newest first"), nextCursor });
export const undoneActionSchema = z.object({
  undone: z.object({
    actionId: z.string(),
    undoActionId: z.string().describe("The undo's own entry in the action log"),
    labels: z.array(z.string()).describe("The message's labels afterwards"),
  }),
});
export const runResponseSchema = z.object({ run: syncRunDtoSchema });
export const runPageSchema = z.object({ runs: z.array(syncRunDtoSchema).describe("Newest first"), nextCursor });
export const undoneRunSchema = z.object({ undone: z.number().int().describe("Actions undone"), run: syncRunDtoSchema });
export const statsResponseSchema = z.object({ stats: triageStatsDtoSchema });
export const settingsSchema = z.object({ categories: z.array(categorySettingSchema).describe(`One per category: ${TRIAGE_CATEGORIES.join(", ")}`) });
export const settingResponseSchema = z.object({ setting: categorySettingSchema });
export const rulesSchema = z.object({ rules: z.array(senderRuleDtoSchema).describe("By sender, alphabetically") });
export const ruleResponseSchema = z.object({ rule: senderRuleDtoSchema });
export const ruleDeletedSchema = z.object({ deleted: z.object({ id: z.string() }) });

// Compile-time checks: each schema describes exactly what the code returns.
export type _TriageShapeChecks = [
  Expect<Exactly<z.infer<typeof messagePageSchema>, Returned<typeof listMessagesPage>>>,
  Expect<Exactly<z.infer<typeof messageDetailSchema>, Returned<typeof getMessageDetail>>>,
  Expect<Exactly<z.infer<typeof reviewResultSchema>, ReviewResult>>,
  Expect<Exactly<z.infer<typeof actionPageSchema>, Returned<typeof listActionsPage>>>,
  Expect<Exactly<Omit<z.infer<typeof undoneActionSchema>["undone"], "actionId">, Returned<typeof undoAction>>>,
  Expect<Exactly<z.infer<typeof runPageSchema>, Returned<typeof listRunsPage>>>,
  Expect<Exactly<z.infer<typeof undoneRunSchema>["undone"], Returned<typeof undoSyncRun>["undone"]>>,
  Expect<Exactly<z.infer<typeof rulesSchema>["rules"], Returned<typeof listSenderRules>>>,
  Expect<Exactly<z.infer<typeof settingResponseSchema>["setting"], Returned<typeof saveCategorySetting>>>,
  Expect<Exactly<z.infer<typeof statsResponseSchema>["stats"], Returned<typeof triageStats>>>,
];

// Parts of the routes' OpenAPI declarations that several routes share.

export const messageId = pathParameter("id", "The triaged message's id (tmsg_…)", { type: "string" });

export const ruleId = pathParameter("id", "The sender rule's id (trule_…)", { type: "string" });

export const unavailable = errorResponse("Gmail is not configured here (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)");

export const gmailFailed = errorResponse("Gmail refused or failed the change; nothing was recorded");
