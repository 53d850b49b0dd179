import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { authChangedAfterCommit } from "@/lib/auth/auth-changes";

// Data access for registered agents. Takes the caller's transaction; never commits on its own.
// The client secret hash is only selected by the one function that verifies it.

export const publicAgentSelect = {
  id: true,
  name: true,
  description: true,
  clientId: true,
  jobKinds: true,
  pipelines: true,
  disabledAt: true,
  lastSeenAt: true,
  checkInMinutes: true,
  lastRefusedAt: true,
  lastRefusal: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.AgentSelect;

export type AgentRow = Prisma.AgentGetPayload<{ select: typeof publicAgentSelect }>;

export function insertAgent(
  tx: Tx,
  data: {
    name: string;
    description: string | null;
    clientId: string;
    clientSecretHash: string;
    jobKinds: string[];
    pipelines: string[];
    createdBy: string | null;
  },
): Promise<AgentRow> {
  return tx.agent.create({ data: { id: newId("agt"), ...data }, select: publicAgentSelect });
}

export function findAgentById(tx: Tx, id: string): Promise<AgentRow | null> {
  return tx.agent.findUnique({ where: { id }, select: publicAgentSelect });
}

export function findAgentByName(tx: Tx, name: string): Promise<AgentRow | null> {
  return tx.agent.findUnique({ where: { name }, select: publicAgentSelect });
}

export function findCredentialsByClientId(tx: Tx, clientId: string) {
  return tx.agent.findUnique({ where: { clientId }, select: { ...publicAgentSelect, clientSecretHash: true } });
}

export function listAgents(tx: Tx): Promise<AgentRow[]> {
  return tx.agent.findMany({ select: publicAgentSelect, orderBy: { name: "asc" } });
}

/** Any change (scope, secret, disabled) applies to the agent's next request (see auth-changes). */
export async function updateAgent(tx: Tx, id: string, data: Prisma.AgentUpdateInput): Promise<AgentRow> {
  const updated = await tx.agent.update({ where: { id }, data, select: publicAgentSelect });
  authChangedAfterCommit(tx);
  return updated;
}

export async function deleteAgent(tx: Tx, id: string): Promise<void> {
  await tx.agent.delete({ where: { id } });
  authChangedAfterCommit(tx);
}

/**
 * Sets lastSeenAt unless it was set within the last minute (one cheap conditional update), or at
 * once when a refusal came after it: the first good request after a failed round ends the failure.
 */
export async function touchLastSeen(tx: Tx, id: string, now: Date, afterRefusal = false): Promise<void> {
  const minuteAgo = new Date(now.getTime() - 60_000);
  await tx.agent.updateMany({
    where: afterRefusal ? { id } : { id, OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: minuteAgo } }] },
    data: { lastSeenAt: now },
  });
}
