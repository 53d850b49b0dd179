import { Prisma, type AgentTokenKind } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { queryRows } from "@/lib/db/query-rows";
import { newId } from "@/lib/ids";
import { publicAgentSelect } from "@/lib/agents/agents.repository";
import { authChangedAfterCommit } from "@/lib/auth/auth-changes";

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

/** What authenticating one request needs of an access token and its agent, times judged by the database. */
export type TokenForRequest = {
  id: string;
  agentId: string;
  kind: AgentTokenKind;
  revoked: boolean;
  expired: boolean;
  expiresAt: Date;
  agentName: string;
  jobKinds: string[];
  pipelines: string[];
  agentDisabled: boolean;
  /** The agent was not seen in the last minute, or a refusal came after it was last seen. */
  seenLongAgo: boolean;
  refusedSinceSeen: boolean;
};

/**
 * The token with this hash and its agent, for authenticating a request: one prepared statement on
 * the pool (every agent call runs it), with expiry and the last-seen minute judged by the
 * database's clock.
 */
export async function findTokenForRequest(tx: Tx, tokenHash: string): Promise<TokenForRequest | null> {
  const [row] = await queryRows<TokenForRequest>(tx, Prisma.sql`
    SELECT t.id, t.agent_id AS "agentId", t.kind::text AS kind, t.revoked_at IS NOT NULL AS revoked,
           t.expires_at <= (now() AT TIME ZONE 'UTC') AS expired, t.expires_at AS "expiresAt",
           a.name AS "agentName", a.job_kinds AS "jobKinds", a.pipelines, a.disabled_at IS NOT NULL AS "agentDisabled",
           (a.last_seen_at IS NULL OR a.last_seen_at < (now() AT TIME ZONE 'UTC') - interval '60 seconds') AS "seenLongAgo",
           (a.last_refused_at IS NOT NULL AND (a.last_seen_at IS NULL OR a.last_refused_at > a.last_seen_at)) AS "refusedSinceSeen"
      FROM agent_tokens t JOIN agents a ON a.id = t.agent_id
     WHERE t.token_hash = ${tokenHash}`);
  return row ?? null;
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
  authChangedAfterCommit(tx);
  return count;
}

export async function revokeAgentTokens(tx: Tx, agentId: string, reason: string, now: Date): Promise<number> {
  const { count } = await tx.agentToken.updateMany({
    where: { agentId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  authChangedAfterCommit(tx);
  return count;
}

export async function revokeTokenById(tx: Tx, agentId: string, id: string, reason: string, now: Date): Promise<number> {
  const { count } = await tx.agentToken.updateMany({
    where: { id, agentId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  authChangedAfterCommit(tx);
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
