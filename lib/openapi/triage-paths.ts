import { z } from "zod";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, PathItem, Returned } from "@/lib/openapi/types";
import { categorySettingBody, listRunsQuery, startSyncBody, statsQuery, type getMessageDetail, type listActionsPage, type listMessagesPage, type listRunsPage } from "@/lib/triage/api";
import { TRIAGE_CATEGORIES, triageCategorySchema } from "@/lib/triage/categories";
import { actionFiltersSchema, messageFiltersSchema, triageActionDtoSchema, triagedMessageDtoSchema, triageStatsDtoSchema, type triageStats } from "@/lib/triage/read-triage";
import { reviewInputSchema, type ReviewResult } from "@/lib/triage/review";
import { senderRuleDtoSchema, senderRuleInputSchema, type listSenderRules } from "@/lib/triage/rules";
import { categorySettingSchema, type saveCategorySetting } from "@/lib/triage/settings";
import { syncRunDtoSchema } from "@/lib/triage/sync-runs";
import type { undoAction, undoSyncRun } from "@/lib/triage/undo";

// Email triage: triaged mail and the review queue, the action log and undo (one action or a whole
// sync run), sync runs with their progress, the statistics, and what each category does.

const nextCursor = z.string().nullable().describe("Pass as `before` for the next page; null on the last page");

const messagePageSchema = z.object({ messages: z.array(triagedMessageDtoSchema).describe("Newest first"), nextCursor });
const messageDetailSchema = z.object({
  message: triagedMessageDtoSchema,
  actions: z.array(triageActionDtoSchema).describe("Every action on the message, newest first"),
});
const reviewResultSchema = z.object({
  messageId: z.string(),
  category: z.string().describe("The category the owner chose"),
  corrected: z.boolean().describe("True when it differs from the category the message had"),
  ruleId: z.string().nullable().describe("The sender rule made or updated from this review"),
  actionId: z.string().nullable().describe("The action applied in Gmail; null when nothing had to change"),
  labels: z.array(z.string()).nullable().describe("The message's labels afterwards, when an action was applied"),
});
const reviewResponseSchema = z.object({ review: reviewResultSchema, message: triagedMessageDtoSchema });
const actionPageSchema = z.object({ actions: z.array(triageActionDtoSchema).describe("Newest first"), nextCursor });
const undoneActionSchema = z.object({
  undone: z.object({
    actionId: z.string(),
    undoActionId: z.string().describe("The undo's own entry in the action log"),
    labels: z.array(z.string()).describe("The message's labels afterwards"),
  }),
});
const runResponseSchema = z.object({ run: syncRunDtoSchema });
const runPageSchema = z.object({ runs: z.array(syncRunDtoSchema).describe("Newest first"), nextCursor });
const undoneRunSchema = z.object({ undone: z.number().int().describe("Actions undone"), run: syncRunDtoSchema });
const statsResponseSchema = z.object({ stats: triageStatsDtoSchema });
const settingsSchema = z.object({ categories: z.array(categorySettingSchema).describe(`One per category: ${TRIAGE_CATEGORIES.join(", ")}`) });
const settingResponseSchema = z.object({ setting: categorySettingSchema });
const rulesSchema = z.object({ rules: z.array(senderRuleDtoSchema).describe("By sender, alphabetically") });
const ruleResponseSchema = z.object({ rule: senderRuleDtoSchema });
const ruleDeletedSchema = z.object({ deleted: z.object({ id: z.string() }) });

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

export function buildTriagePaths(schemas: SchemaComponents): Record<string, PathItem> {
  const messageId = pathParameter("id", "The triaged message's id (tmsg_…)", { type: "string" });
  const actionId = pathParameter("id", "The action's id (tact_…)", { type: "string" });
  const runId = pathParameter("id", "The sync run's id (tsr_…)", { type: "string" });
  const ruleId = pathParameter("id", "The sender rule's id (trule_…)", { type: "string" });
  const category = pathParameter("category", "The category", schemas.convert(triageCategorySchema, "input"));
  const run = schemas.convert(runResponseSchema, "output");
  const notFound = ref("responses", "NotFound");
  const badRequest = ref("responses", "BadRequest");
  const unavailable = jsonResponse("Gmail is not configured here (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)", ref("schemas", "Error"));
  const gmailFailed = jsonResponse("Gmail refused or failed the change; nothing was recorded", ref("schemas", "Error"));
  const tags = ["triage"];

  return {
    "/api/triage/messages": {
      get: operation("session", {
        operationId: "listTriagedMessages",
        summary: "Triaged mail, newest first",
        description: "Filter by category (the owner's after review, else triage's), by status (`review` is the review queue), by mailbox or by sync run.",
        tags,
        parameters: queryParameters(schemas, messageFiltersSchema),
        responses: { "200": jsonResponse("A page of messages", schemas.convert(messagePageSchema, "output")), "400": badRequest },
      }),
    },
    "/api/triage/messages/{id}": {
      get: operation("session", {
        operationId: "getTriagedMessage",
        summary: "One triaged message, with the reasons for its category and every action taken on it",
        tags,
        parameters: [messageId],
        responses: { "200": jsonResponse("The message", schemas.convert(messageDetailSchema, "output")), "404": notFound },
      }),
    },
    "/api/triage/messages/{id}/review": {
      post: operation("session", {
        operationId: "reviewTriagedMessage",
        summary: "Confirm or correct a message's category",
        description:
          "A correction is recorded as feedback and, with `createRule`, becomes a sender rule for the address or the whole domain, " +
          "so the next message from that sender is decided by it. The chosen category's actions are applied in Gmail as the owner's " +
          "(whatever the threshold), after undoing any earlier action still in effect on the message.",
        tags,
        parameters: [messageId],
        requestBody: jsonBody(schemas.convert(reviewInputSchema, "input")),
        responses: {
          "200": jsonResponse("The decision and the message as it is now", schemas.convert(reviewResponseSchema, "output")),
          "400": badRequest,
          "404": notFound,
          "409": jsonResponse("The mailbox is disconnected", ref("schemas", "Error")),
          "502": gmailFailed,
          "503": unavailable,
        },
      }),
    },
    "/api/triage/actions": {
      get: operation("session", {
        operationId: "listTriageActions",
        summary: "The action log, newest first",
        description: "Every label change triage or the owner made, with the message's labels before and after, who did it, and whether it was undone.",
        tags,
        parameters: queryParameters(schemas, actionFiltersSchema),
        responses: { "200": jsonResponse("A page of actions", schemas.convert(actionPageSchema, "output")), "400": badRequest },
      }),
    },
    "/api/triage/actions/{id}/undo": {
      post: operation("session", {
        operationId: "undoTriageAction",
        summary: "Undo one action",
        description:
          "Removes what the action added and adds back what it removed (labels changed by hand since are left alone). The undo is " +
          "logged as an action of its own and the message goes back to the review queue.",
        tags,
        parameters: [actionId],
        responses: {
          "200": jsonResponse("Undone", schemas.convert(undoneActionSchema, "output")),
          "404": notFound,
          "409": jsonResponse("Already undone, itself an undo, or the mailbox is disconnected", ref("schemas", "Error")),
          "502": gmailFailed,
          "503": unavailable,
        },
      }),
    },
    "/api/triage/runs": {
      get: operation("session", {
        operationId: "listTriageSyncRuns",
        summary: "Sync runs, newest first",
        tags,
        parameters: queryParameters(schemas, listRunsQuery),
        responses: { "200": jsonResponse("A page of runs", schemas.convert(runPageSchema, "output")), "400": badRequest },
      }),
      post: operation("session", {
        operationId: "startTriageSync",
        summary: "Sync a mailbox now, or backfill its recent mail",
        description:
          "The run is recorded and handed to the background; follow its progress at GET /api/triage/runs/{id}. When a run of " +
          "the same kind is already queued or running for the mailbox, that run is returned instead of a second one.",
        tags,
        requestBody: jsonBody(schemas.convert(startSyncBody, "input")),
        responses: {
          "202": jsonResponse("The run, queued (or the one already under way)", run, {
            location: { description: "The run, /api/triage/runs/tsr_…", schema: { type: "string" } },
          }),
          "400": badRequest,
          "404": notFound,
          "409": jsonResponse("The mailbox is disconnected; connect it again first", ref("schemas", "Error")),
        },
      }),
    },
    "/api/triage/runs/{id}": {
      get: operation("session", {
        operationId: "getTriageSyncRun",
        summary: "One sync run with its progress counters",
        tags,
        parameters: [runId],
        responses: { "200": jsonResponse("The run", run), "404": notFound },
      }),
    },
    "/api/triage/runs/{id}/undo": {
      post: operation("session", {
        operationId: "undoTriageSyncRun",
        summary: "Undo every automatic action of a sync run",
        description: "Actions already undone one by one are left as they are; the messages go back to the review queue.",
        tags,
        parameters: [runId],
        responses: {
          "200": jsonResponse("Undone", schemas.convert(undoneRunSchema, "output")),
          "404": notFound,
          "409": jsonResponse("The run has not finished yet, or the mailbox is disconnected", ref("schemas", "Error")),
          "502": gmailFailed,
          "503": unavailable,
        },
      }),
    },
    "/api/triage/stats": {
      get: operation("session", {
        operationId: "getTriageStats",
        summary: "How much mail triage handled, by stage, category and outcome",
        tags,
        parameters: queryParameters(schemas, statsQuery),
        responses: { "200": jsonResponse("The figures", schemas.convert(statsResponseSchema, "output")), "400": badRequest },
      }),
    },
    "/api/triage/settings": {
      get: operation("session", {
        operationId: "listTriageCategorySettings",
        summary: "What triage does with each category, and its threshold",
        tags,
        responses: { "200": jsonResponse("Every category's setting", schemas.convert(settingsSchema, "output")) },
      }),
    },
    "/api/triage/settings/{category}": {
      put: operation("session", {
        operationId: "saveTriageCategorySetting",
        summary: "Change what triage does with a category",
        description: "Nothing here deletes or sends mail: a label, archive (remove from the inbox) and mark read. Takes effect from the next sync.",
        tags,
        parameters: [category],
        requestBody: jsonBody(schemas.convert(categorySettingBody, "input")),
        responses: { "200": jsonResponse("The setting", schemas.convert(settingResponseSchema, "output")), "400": badRequest, "404": notFound },
      }),
    },
    "/api/triage/rules": {
      get: operation("session", {
        operationId: "listTriageSenderRules",
        summary: "The sender rules stage 1 applies first",
        tags,
        responses: { "200": jsonResponse("Every rule", schemas.convert(rulesSchema, "output")) },
      }),
      post: operation("session", {
        operationId: "saveTriageSenderRule",
        summary: "Add a sender rule",
        description: "One rule per address or domain: a rule for a sender that already has one changes its category.",
        tags,
        requestBody: jsonBody(schemas.convert(senderRuleInputSchema, "input")),
        responses: { "201": jsonResponse("The rule", schemas.convert(ruleResponseSchema, "output")), "400": badRequest },
      }),
    },
    "/api/triage/rules/{id}": {
      delete: operation("session", {
        operationId: "deleteTriageSenderRule",
        summary: "Delete a sender rule",
        tags,
        parameters: [ruleId],
        responses: { "200": jsonResponse("Deleted", schemas.convert(ruleDeletedSchema, "output")), "404": notFound },
      }),
    },
  };
}
