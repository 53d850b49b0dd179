import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";

// Data access for assistant areas. Takes the caller's transaction; never commits on its own.

export type AreaRow = Prisma.AssistantAreaGetPayload<object>;

export type AreaData = Omit<AreaRow, "id" | "createdAt" | "updatedAt">;

export function listAreas(tx: Tx): Promise<AreaRow[]> {
  return tx.assistantArea.findMany({ orderBy: [{ position: "asc" }, { slug: "asc" }] });
}

export function findArea(tx: Tx, slug: string): Promise<AreaRow | null> {
  return tx.assistantArea.findUnique({ where: { slug } });
}

export function findAreaById(tx: Tx, id: string): Promise<AreaRow | null> {
  return tx.assistantArea.findUnique({ where: { id } });
}

export function insertArea(tx: Tx, data: AreaData): Promise<AreaRow> {
  return tx.assistantArea.create({ data: { id: newId("ara"), ...data } });
}

export async function insertMissingAreas(tx: Tx, areas: AreaData[]): Promise<void> {
  await tx.assistantArea.createMany({ data: areas.map((a) => ({ id: newId("ara"), ...a })), skipDuplicates: true });
}

export function updateArea(tx: Tx, slug: string, data: Partial<AreaData>): Promise<AreaRow> {
  return tx.assistantArea.update({ where: { slug }, data });
}

export function deleteArea(tx: Tx, slug: string): Promise<AreaRow> {
  return tx.assistantArea.delete({ where: { slug } });
}

export function countAreas(tx: Tx): Promise<number> {
  return tx.assistantArea.count();
}

/** What the area's assistant has spent since `since`, in US dollars, and how many turns. */
export async function spendSince(tx: Tx, areaId: string, since: Date): Promise<{ costUsd: number; turns: number }> {
  const result = await tx.chatTurn.aggregate({
    where: { areaId, startedAt: { gte: since } },
    _sum: { costUsd: true },
    _count: { _all: true },
  });
  return { costUsd: result._sum.costUsd ?? 0, turns: result._count._all };
}

export async function countConversations(tx: Tx, areaId: string): Promise<number> {
  return tx.conversation.count({ where: { areaId } });
}
