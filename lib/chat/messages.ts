import type { UIMessage } from "ai";
import { z } from "zod";

// The message shape shared by the chat route, the store and the UI: the AI SDK's UIMessage with
// our metadata (the turn's usage) and one data part, the notice that says why a turn ended early.

export const NOTICE_KINDS = ["step_limit", "turn_budget", "daily_budget", "stopped", "error", "refused"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export type Notice = { kind: NoticeKind; message: string };

export type TurnUsage = { turnId: string; model: string; inputTokens: number; outputTokens: number; costUsd: number; steps: number };

export type ChatMetadata = { usage?: TurnUsage; createdAt?: string };

export type ChatDataParts = { notice: Notice };

export type ChatMessage = UIMessage<ChatMetadata, ChatDataParts>;

/** What the chat UI shows of an area. */
export type AreaSummary = { slug: string; name: string; description: string; model: string; maxSteps: number };

/** Tool name → the pipeline behind it, for tool cards. */
export type ToolLabels = Record<string, { title: string; pipeline: string }>;

export const noticeSchema = z.object({ kind: z.enum(NOTICE_KINDS), message: z.string() });

/** What the client may send for a turn: a new user message, or answers to pending approvals. */
export const chatRequestSchema = z
  .object({
    conversationId: z.string().regex(/^cnv_[a-z0-9]{26}$/, "is not a conversation id"),
    message: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
        text: z.string().trim().min(1, "is empty").max(20_000, "is longer than 20,000 characters"),
      })
      .optional(),
    approvals: z
      .array(
        z.object({
          id: z.string().min(1).max(200),
          approved: z.boolean(),
          reason: z.string().max(1000).optional(),
        }),
      )
      .min(1)
      .max(20)
      .optional(),
  })
  .refine((body) => Boolean(body.message) !== Boolean(body.approvals), {
    message: "send either a message or approvals, not both",
    path: ["message"],
  });

export type ChatRequest = z.infer<typeof chatRequestSchema>;

export function textOf(message: Pick<ChatMessage, "parts">): string {
  return message.parts
    .filter((p) => p.type === "text")
    .map((p) => p.text)
    .join("");
}
