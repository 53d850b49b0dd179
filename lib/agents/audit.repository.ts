import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";

// The agent audit trail: token exchanges, refusals, scope denials, management actions.

export type AuditAction =
  | "token.issued"
  | "token.denied"
  | "token.refreshed"
  | "token.refresh_denied"
  | "token.refresh_reuse"
  | "token.rate_limited"
  | "token.revoked"
  | "token.rejected"
  | "agent.alerted"
  | "scope.denied"
  | "agent.created"
  | "agent.updated"
  | "agent.secret_rotated"
  | "agent.disabled"
  | "agent.enabled"
  | "policy.denied"
  | "approval.requested";

/** Failures that count towards the token endpoint's rate limit (a refusal while limited does not). */
export const COUNTED_FAILURES: AuditAction[] = ["token.denied", "token.refresh_denied", "token.refresh_reuse"];

export type AuditRecord = {
  agentId?: string | null;
  tokenId?: string | null;
  action: AuditAction;
  target?: string | null;
  allowed: boolean;
  detail?: Prisma.InputJsonValue;
  ip?: string | null;
  requestId?: string | null;
};

export async function recordAudit(tx: Tx, record: AuditRecord): Promise<void> {
  await tx.agentAuditEvent.create({
    data: {
      id: newId("aud"),
      agentId: record.agentId ?? null,
      tokenId: record.tokenId ?? null,
      action: record.action,
      target: record.target ?? null,
      allowed: record.allowed,
      detail: record.detail,
      ip: record.ip ?? null,
      requestId: record.requestId ?? null,
    },
  });
}

export const auditSelect = {
  id: true,
  agentId: true,
  tokenId: true,
  action: true,
  target: true,
  allowed: true,
  detail: true,
  ip: true,
  requestId: true,
  createdAt: true,
} satisfies Prisma.AgentAuditEventSelect;

export type AuditRow = Prisma.AgentAuditEventGetPayload<{ select: typeof auditSelect }>;

export function listAuditForAgent(tx: Tx, agentId: string, take: number): Promise<AuditRow[]> {
  return tx.agentAuditEvent.findMany({
    where: { agentId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: auditSelect,
  });
}

type Who = { target: string } | { ip: string };

/** Counted token-endpoint failures since `since` for a client id (target) or an address. */
export function countFailures(tx: Tx, who: Who, since: Date): Promise<number> {
  return tx.agentAuditEvent.count({ where: { action: { in: COUNTED_FAILURES }, ...who, createdAt: { gte: since } } });
}

/** The time of the counted failure `skip` places after the oldest one since `since`. */
export function failureAt(tx: Tx, who: Who, since: Date, skip: number) {
  return tx.agentAuditEvent.findFirst({
    where: { action: { in: COUNTED_FAILURES }, ...who, createdAt: { gte: since } },
    orderBy: { createdAt: "asc" },
    skip,
    select: { createdAt: true },
  });
}
