import { z } from "zod";
import type { AreaRow, AreaWithSpend } from "@/lib/chat/areas";
import { type ConversationDetail, type ConversationDto, type listConversations, type TurnDto } from "@/lib/chat/conversations";
import { noticeSchema, type ChatMessage, type Notice, type TurnUsage } from "@/lib/chat/messages";
import { pathParameter, ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, Response, Returned } from "@/lib/openapi/types";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// The assistants: areas (what each one is for, may call and may spend), conversations with their
// history, and the chat route that streams one turn as an AI SDK UI message stream (SSE).
// lib/chat has no zod schemas for its responses, so they are written here and checked against
// the service's types below.

export const iso = z.iso.datetime();
export const usd = z.number().describe("US dollars");

export const areaSchema = z
  .object({
    id: z.string().describe("ara_…"),
    slug: z.string().describe("The area's name in URLs, e.g. inbox"),
    name: z.string(),
    description: z.string(),
    instructions: z.string().describe("Added to the assistant's system prompt"),
    pipelines: z.array(z.string()).describe('Pipelines the assistant may call as tools; "*" means every pipeline'),
    model: z.string(),
    maxSteps: z.number().int().describe("Model calls per turn (each tool round is one)"),
    turnBudgetUsd: usd.describe("Most one turn may cost, in US dollars"),
    dailyBudgetUsd: usd.describe("Most the area may spend per UTC day, in US dollars"),
    inputUsdPerMTok: usd.describe("Model price per million input tokens"),
    outputUsdPerMTok: usd.describe("Model price per million output tokens"),
    position: z.number().int().describe("Where it is listed, lowest first"),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: "AssistantArea" });

export const areaWithSpendSchema = areaSchema
  .extend({
    spentTodayUsd: usd.describe("Spent since the start of this UTC day"),
    turnsToday: z.number().int().describe("Turns started since the start of this UTC day"),
    conversations: z.number().int(),
  })
  .meta({ id: "AssistantAreaWithSpend" });

export const areaListSchema = z.object({ areas: z.array(areaWithSpendSchema).describe("In their listed order") });
export const areaResponseSchema = z.object({ area: areaSchema });
export const areaDetailSchema = z.object({ area: areaWithSpendSchema });
export const areaDeletedSchema = z.object({ deleted: z.object({ slug: z.string() }) });

export const conversationSchema = z
  .object({
    id: z.string().describe("cnv_…"),
    title: z.string(),
    area: z.object({ slug: z.string(), name: z.string() }),
    messageCount: z.number().int(),
    createdAt: iso,
    lastMessageAt: iso,
  })
  .meta({ id: "Conversation" });

export const turnSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    status: z.string().describe("running, completed, waiting (for an approval), limited (a step or budget limit), stopped or failed"),
    endReason: z.string().nullable().describe("Why the turn ended, finished, approval, step_limit, turn_budget, daily_budget, aborted or error; null while running"),
    steps: z.number().int().describe("Model calls made"),
    toolCalls: z.number().int(),
    refusedToolCalls: z.number().int().describe("Calls to tools outside the area, answered with an error and never run"),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: usd,
    error: z.string().nullable(),
    startedAt: iso,
    finishedAt: iso.nullable(),
  })
  .meta({ id: "ChatTurn" });

export const turnUsageSchema = z
  .object({
    turnId: z.string(),
    model: z.string(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: usd,
    steps: z.number().int(),
  })
  .meta({ id: "ChatTurnUsage" });

export const chatMessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(["system", "user", "assistant"]),
    parts: z
      .array(z.looseObject({ type: z.string() }))
      .describe(
        "AI SDK 6 UI message parts: text, reasoning, step-start, tool-<pipeline> (with state, input, output or errorText, " +
          "and approval while one is pending), data-notice ({ kind, message }: why a turn ended early)",
      ),
    metadata: z
      .object({
        usage: turnUsageSchema.optional().describe("On assistant messages: the usage of the turn that wrote it"),
        createdAt: iso.optional(),
      })
      .optional(),
  })
  .meta({ id: "ChatMessage", description: "An AI SDK UIMessage, as useChat keeps them" });

export const conversationResponseSchema = z.object({ conversation: conversationSchema });
export const conversationListSchema = z.object({
  conversations: z.array(conversationSchema).describe("Most recent message first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
export const conversationDetailSchema = z.object({
  conversation: conversationSchema,
  messages: z.array(chatMessageSchema).describe("Oldest first, every part as stored"),
  turns: z.array(turnSchema).describe("Oldest first"),
});
export const conversationDeletedSchema = z.object({ deleted: z.object({ id: z.string() }) });

/** A row as it reaches the client: dates become ISO strings. */
type AsJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };
type Metadata = NonNullable<ChatMessage["metadata"]>;

export type _AssistantShapeChecks = [
  Expect<Exactly<z.infer<typeof areaSchema>, AsJson<AreaRow>>>,
  Expect<Exactly<z.infer<typeof areaWithSpendSchema>, AsJson<AreaWithSpend>>>,
  Expect<Exactly<z.infer<typeof conversationSchema>, ConversationDto>>,
  Expect<Exactly<z.infer<typeof turnSchema>, TurnDto>>,
  Expect<Exactly<z.infer<typeof turnUsageSchema>, TurnUsage>>,
  Expect<Exactly<z.infer<typeof noticeSchema>, Notice>>,
  Expect<Exactly<Omit<z.infer<typeof chatMessageSchema>, "parts" | "metadata">, Omit<ChatMessage, "parts" | "metadata">>>,
  Expect<Exactly<NonNullable<z.infer<typeof chatMessageSchema>["metadata"]>, Metadata>>,
  Expect<Exactly<Omit<z.infer<typeof conversationDetailSchema>, "messages">, Omit<ConversationDetail, "messages">>>,
  Expect<Exactly<z.infer<typeof conversationListSchema>, Returned<typeof listConversations>>>,
];

export const CHUNK_TYPES =
  "Each event is one line `data: <JSON chunk>`, and the stream ends with `data: [DONE]`. The chunks (AI SDK 6 UI message " +
  "stream, readable with useChat and DefaultChatTransport) include: `start` (the assistant message's id); `start-step` and " +
  "`finish-step` around each model call; `text-start`, `text-delta` ({ id, delta }), `text-end`; `reasoning-*` likewise; " +
  "`tool-input-start`, `tool-input-delta` and `tool-input-available` ({ toolCallId, toolName, input }: a pipeline call); " +
  "`tool-output-available` ({ toolCallId, output }), `tool-output-error` ({ toolCallId, errorText }) or `tool-output-denied` " +
  "({ toolCallId }: the owner declined it); " +
  "`tool-approval-request` ({ approvalId, toolCallId }: the call waits for the owner, who answers by sending `approvals` in " +
  "a new request); `data-notice` ({ data: { kind, message } }, kind one of step_limit, turn_budget, daily_budget, stopped, " +
  "error, refused: why the turn ended early); `error` ({ errorText }, safe to show); and `finish` ({ messageMetadata: " +
  "{ usage: { turnId, model, inputTokens, outputTokens, costUsd, steps } } }).";

export function eventStream(description: string): Response {
  return {
    description,
    headers: {
      "x-request-id": ref("headers", "RequestId"),
      "x-vercel-ai-ui-message-stream": { description: "The stream protocol's version", schema: { type: "string", const: "v1" } },
    },
    content: { "text/event-stream": { schema: { type: "string", description: CHUNK_TYPES } } },
  };
}

// Parts of the routes' OpenAPI declarations that several routes share.

export const areaSlug = pathParameter("slug", "The area's slug, e.g. inbox", { type: "string", examples: ["inbox"] });

export const conversationId = pathParameter("id", "The conversation's id (cnv_…)", { type: "string" });
