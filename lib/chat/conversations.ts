import { z } from "zod";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import type { PublicUser } from "@/lib/users/repository";
import { getArea } from "./areas";
import * as store from "./conversations.repository";
import type { ChatMessage, TurnUsage } from "./messages";

// Conversations: create one in an area, list them newest first, open one with its full history
// (every part, tool calls with their input and output, usage per turn), rename, delete.

export const NEW_CONVERSATION_TITLE = "New conversation";
const MAX_PAGE = 100;

export type ConversationDto = {
  id: string;
  title: string;
  area: { slug: string; name: string };
  messageCount: number;
  createdAt: string;
  lastMessageAt: string;
};

export type TurnDto = {
  id: string;
  model: string;
  status: string;
  endReason: string | null;
  steps: number;
  toolCalls: number;
  refusedToolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export type ConversationDetail = { conversation: ConversationDto; messages: ChatMessage[]; turns: TurnDto[] };

function toDto(row: store.ConversationRow): ConversationDto {
  return {
    id: row.id,
    title: row.title,
    area: { slug: row.area.slug, name: row.area.name },
    messageCount: row._count.messages,
    createdAt: row.createdAt.toISOString(),
    lastMessageAt: row.lastMessageAt.toISOString(),
  };
}

function toTurnDto(row: store.TurnRow): TurnDto {
  return {
    id: row.id,
    model: row.model,
    status: row.status,
    endReason: row.endReason,
    steps: row.steps,
    toolCalls: row.toolCalls,
    refusedToolCalls: row.refusedToolCalls,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function usageOf(turn: store.TurnRow): TurnUsage {
  return {
    turnId: turn.id,
    model: turn.model,
    inputTokens: turn.inputTokens,
    outputTokens: turn.outputTokens,
    costUsd: turn.costUsd,
    steps: turn.steps,
  };
}

export async function createConversation(user: PublicUser, areaSlug: string, title?: string): Promise<ConversationDto> {
  const area = await getArea(areaSlug);
  const row = await store.insertConversation(autocommit(), {
    areaId: area.id,
    userId: user.id,
    title: title?.trim().slice(0, 120) || NEW_CONVERSATION_TITLE,
  });
  return toDto(row);
}

export async function requireConversation(user: PublicUser, id: string): Promise<store.ConversationRow> {
  const row = await store.findConversation(autocommit(), id, user.id);
  if (!row) throw new AppError("not_found", `There is no conversation ${id}`);
  return row;
}

/** Messages as stored, with each assistant message's turn usage in its metadata. */
export function toChatMessages(rows: store.MessageRow[], turns: store.TurnRow[]): ChatMessage[] {
  const usageByMessage = new Map<string, TurnUsage>();
  for (const turn of turns) if (turn.assistantMessageId) usageByMessage.set(turn.assistantMessageId, usageOf(turn));
  return rows.map((row) => {
    const usage = usageByMessage.get(row.id);
    return {
      id: row.id,
      role: row.role as ChatMessage["role"],
      parts: row.parts as ChatMessage["parts"],
      metadata: { createdAt: row.createdAt.toISOString(), ...(usage ? { usage } : {}) },
    };
  });
}

export async function getConversation(user: PublicUser, id: string): Promise<ConversationDetail> {
  const row = await requireConversation(user, id);
  const db = autocommit();
  const [messages, turns] = await Promise.all([store.listMessages(db, id), store.listTurns(db, id)]);
  return { conversation: toDto(row), messages: toChatMessages(messages, turns), turns: turns.map(toTurnDto) };
}

export const listConversationsQuery = z.object({
  area: z.string().max(40).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(30),
  cursor: z.string().max(200).optional(),
});

function encodeCursor(row: store.ConversationRow): string {
  return Buffer.from(`${row.lastMessageAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { lastMessageAt: Date; id: string } {
  const [at = "", id = ""] = Buffer.from(cursor, "base64url").toString().split("|");
  const lastMessageAt = new Date(at);
  if (Number.isNaN(lastMessageAt.getTime()) || !id.startsWith("cnv_")) throw new AppError("bad_request", "The cursor is not valid");
  return { lastMessageAt, id };
}

export async function listConversations(
  user: PublicUser,
  query: z.infer<typeof listConversationsQuery>,
): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  const areaId = query.area ? (await getArea(query.area)).id : undefined;
  const rows = await store.listConversations(
    autocommit(),
    { userId: user.id, areaId, search: query.q || undefined },
    query.limit + 1,
    query.cursor ? decodeCursor(query.cursor) : undefined,
  );
  const page = rows.slice(0, query.limit);
  return { conversations: page.map(toDto), nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!) : null };
}

export const createConversationBody = z.object({
  area: z.string().trim().min(1, "is required").max(40),
  title: z.string().trim().max(120).optional(),
});

export const renameConversationInput = z.object({ title: z.string().trim().min(1, "is required").max(120) });

export async function renameConversation(user: PublicUser, id: string, title: string): Promise<ConversationDto> {
  return withTransaction(async (tx) => {
    if (!(await store.findConversation(tx, id, user.id))) throw new AppError("not_found", `There is no conversation ${id}`);
    await store.updateConversation(tx, id, { title });
    return toDto((await store.findConversation(tx, id, user.id))!);
  });
}

export async function deleteConversation(user: PublicUser, id: string): Promise<void> {
  await withTransaction(async (tx) => {
    if (!(await store.findConversation(tx, id, user.id))) throw new AppError("not_found", `There is no conversation ${id}`);
    await store.deleteConversation(tx, id);
  });
}
