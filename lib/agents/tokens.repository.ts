import type { AgentTokenKind, Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { publicAgentSelect } from "@/lib/agents/agents.repository";

// Data access for agent tokens. Only hashes are stored; the hash is selected only for lookups
// (and never leaves lib/agents).

export const publicTokenSelect = {
  id: true,
  agentId: true,
  kind: true,
  familyId: true,
  parentId: true,
  expiresAt: true,
  usedAt: true,
  revokedAt: true,
  revokedReason: true,
  createdAt: true,
} satisfies Prisma.AgentTokenSelect;

export type TokenRow = Prisma.AgentTokenGetPayload<{ select: typeof publicTokenSelect }>;

export function insertToken(
  tx: Tx,
  data: { agentId: string; kind: AgentTokenKind; tokenHash: string; familyId: string; parentId: string | null; expiresAt: Date },
): Promise<TokenRow> {
  return tx.agentToken.create({ data: { id: newId("tok"), ...data }, select: publicTokenSelect });
}

/** The token with this hash and its agent, for authentication and refresh. */
export function findTokenByHash(tx: Tx, tokenHash: string) {
  return tx.agentToken.findUnique({
    where: { tokenHash },
    select: { ...publicTokenSelect, agent: { select: publicAgentSelect } },
  });
}

/** Marks an unused, unrevoked refresh token used; false when another request got there first. */
export async function markRefreshUsed(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await tx.agentToken.updateMany({
    where: { id, kind: "refresh", usedAt: null, revokedAt: null },
    data: { usedAt: now },
  });
  return count === 1;
}

export async function revokeFamily(tx: Tx, familyId: string, reason: string, now: Date): Promise<number> {
  const { count } = await tx.agentToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

export async function revokeAgentTokens(tx: Tx, agentId: string, reason: string, now: Date): Promise<number> {
  const { count } = await tx.agentToken.updateMany({
    where: { agentId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

export async function revokeTokenById(tx: Tx, agentId: string, id: string, reason: string, now: Date): Promise<number> {
  const { count } = await tx.agentToken.updateMany({
    where: { id, agentId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

/** Tokens that still work: not revoked, not expired, and (refresh tokens) not used yet. */
export function activeTokenWhere(now: Date): Prisma.AgentTokenWhereInput {
  return { revokedAt: null, expiresAt: { gt: now }, OR: [{ kind: "access" }, { usedAt: null }] };
}

export function listActiveTokens(tx: Tx, agentId: string, now: Date, take = 200): Promise<TokenRow[]> {
  return tx.agentToken.findMany({
    where: { agentId, ...activeTokenWhere(now) },
    orderBy: { createdAt: "desc" },
    take,
    select: publicTokenSelect,
  });
}

export async function countActiveTokensByAgent(tx: Tx, now: Date): Promise<Map<string, number>> {
  const groups = await tx.agentToken.groupBy({ by: ["agentId"], where: activeTokenWhere(now), _count: { _all: true } });
  return new Map(groups.map((g) => [g.agentId, g._count._all]));
}
