import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";

// Data access for conversations, their messages and turns. Takes the caller's transaction.

export const conversationSelect = {
  id: true,
  title: true,
  userId: true,
  createdAt: true,
  lastMessageAt: true,
  area: { select: { id: true, slug: true, name: true } },
  _count: { select: { messages: true } },
} satisfies Prisma.ConversationSelect;

export type ConversationRow = Prisma.ConversationGetPayload<{ select: typeof conversationSelect }>;

export type MessageRow = { id: string; position: number; role: string; parts: Prisma.JsonValue; createdAt: Date };

export type TurnRow = Prisma.ChatTurnGetPayload<object>;

export function insertConversation(tx: Tx, data: { areaId: string; userId: string; title: string }): Promise<ConversationRow> {
  return tx.conversation.create({ data: { id: newId("cnv"), ...data }, select: conversationSelect });
}

export function findConversation(tx: Tx, id: string, userId: string): Promise<ConversationRow | null> {
  return tx.conversation.findFirst({ where: { id, userId }, select: conversationSelect });
}

export function listConversations(
  tx: Tx,
  filters: { userId: string; areaId?: string; search?: string },
  limit: number,
  before?: { lastMessageAt: Date; id: string },
): Promise<ConversationRow[]> {
  return tx.conversation.findMany({
    where: {
      userId: filters.userId,
      areaId: filters.areaId,
      title: filters.search ? { contains: filters.search, mode: "insensitive" } : undefined,
      ...(before
        ? { OR: [{ lastMessageAt: { lt: before.lastMessageAt } }, { lastMessageAt: before.lastMessageAt, id: { lt: before.id } }] }
        : {}),
    },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: limit,
    select: conversationSelect,
  });
}

export function updateConversation(tx: Tx, id: string, data: { title?: string; lastMessageAt?: Date }): Promise<unknown> {
  return tx.conversation.update({ where: { id }, data, select: { id: true } });
}

export function deleteConversation(tx: Tx, id: string): Promise<unknown> {
  return tx.conversation.delete({ where: { id }, select: { id: true } });
}

export function listMessages(tx: Tx, conversationId: string): Promise<MessageRow[]> {
  return tx.chatMessage.findMany({
    where: { conversationId },
    orderBy: { position: "asc" },
    select: { id: true, position: true, role: true, parts: true, createdAt: true },
  });
}

export async function nextPosition(tx: Tx, conversationId: string): Promise<number> {
  const last = await tx.chatMessage.findFirst({ where: { conversationId }, orderBy: { position: "desc" }, select: { position: true } });
  return (last?.position ?? -1) + 1;
}

export function insertMessage(
  tx: Tx,
  data: { id: string; conversationId: string; position: number; role: string; parts: Prisma.InputJsonValue },
): Promise<unknown> {
  return tx.chatMessage.create({ data, select: { id: true } });
}

export function updateMessageParts(tx: Tx, id: string, conversationId: string, parts: Prisma.InputJsonValue): Promise<{ count: number }> {
  return tx.chatMessage.updateMany({ where: { id, conversationId }, data: { parts } });
}

export function messageExists(tx: Tx, id: string): Promise<{ conversationId: string } | null> {
  return tx.chatMessage.findUnique({ where: { id }, select: { conversationId: true } });
}

export function insertTurn(tx: Tx, data: { conversationId: string; areaId: string; model: string; status: string; endReason?: string }): Promise<TurnRow> {
  return tx.chatTurn.create({ data: { id: newId("trn"), ...data } });
}

export function updateTurn(tx: Tx, id: string, data: Prisma.ChatTurnUpdateInput): Promise<unknown> {
  return tx.chatTurn.update({ where: { id }, data, select: { id: true } });
}

export function listTurns(tx: Tx, conversationId: string): Promise<TurnRow[]> {
  return tx.chatTurn.findMany({ where: { conversationId }, orderBy: { startedAt: "asc" } });
}
