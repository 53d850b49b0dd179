import { Prisma } from "@/generated/prisma/client";
import { withTransaction, type Tx } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import * as agents from "@/lib/agents/agents.repository";
import * as audit from "@/lib/agents/audit.repository";
import { assessAgents, type AgentHealth } from "@/lib/agents/watch";
import * as tokens from "@/lib/agents/tokens.repository";
import { createAgentInput, updateAgentInput, type CreateAgentInput, type UpdateAgentInput } from "@/lib/agents/agent-input";
import { hashSecret, newClientId, newClientSecret } from "@/lib/agents/credentials";

// The agent registry: who may ask for work, and what. Client secrets are returned once, at
// creation or rotation, and stored only as hashes.

export type AgentRow = agents.AgentRow;
export type AgentWithStats = AgentRow & { activeTokens: number; health: AgentHealth };
export type IssuedCredentials = { agent: AgentRow; clientId: string; clientSecret: string };

/** An agent by id (`agt_…`) or by name: ids contain "_", which names cannot. */
async function requireAgent(tx: Tx, ref: string): Promise<AgentRow> {
  const agent = ref.startsWith("agt_") ? await agents.findAgentById(tx, ref) : await agents.findAgentByName(tx, ref);
  if (!agent) throw new AppError("not_found", `There is no agent ${ref.startsWith("agt_") ? "with the id" : "named"} ${ref}`);
  return agent;
}

export async function createAgent(input: CreateAgentInput, createdBy: string | null): Promise<IssuedCredentials> {
  const parsed = createAgentInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "Agent");
  const clientId = newClientId();
  const clientSecret = newClientSecret();
  const conflict = () => new AppError("conflict", `An agent named ${parsed.data.name} already exists`);
  try {
    const agent = await withTransaction(async (tx) => {
      if (await agents.findAgentByName(tx, parsed.data.name)) throw conflict();
      const row = await agents.insertAgent(tx, {
        name: parsed.data.name,
        description: parsed.data.description ?? null,
        clientId,
        clientSecretHash: hashSecret(clientSecret),
        jobKinds: parsed.data.jobKinds,
        pipelines: parsed.data.pipelines,
        createdBy,
      });
      await audit.recordAudit(tx, {
        agentId: row.id,
        action: "agent.created",
        allowed: true,
        detail: { by: createdBy, jobKinds: row.jobKinds, pipelines: row.pipelines },
      });
      return row;
    });
    return { agent, clientId, clientSecret };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw conflict();
    throw error;
  }
}

/** Changes the description and/or scope; the new scope applies to the agent's next request. */
export async function updateAgent(ref: string, input: UpdateAgentInput, by: string | null): Promise<AgentRow> {
  const parsed = updateAgentInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "Agent");
  const { description, jobKinds, pipelines, checkInMinutes } = parsed.data;
  return withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    const updated = await agents.updateAgent(tx, agent.id, {
      ...(description !== undefined ? { description } : {}),
      ...(jobKinds ? { jobKinds } : {}),
      ...(pipelines ? { pipelines } : {}),
      ...(checkInMinutes !== undefined ? { checkInMinutes } : {}),
    });
    await audit.recordAudit(tx, {
      agentId: agent.id,
      action: "agent.updated",
      allowed: true,
      detail: { by, jobKinds: updated.jobKinds, pipelines: updated.pipelines, checkInMinutes: updated.checkInMinutes },
    });
    return updated;
  });
}

/**
 * Issues a new client secret (returned once); the old one stops working at once. Tokens already
 * issued stay valid unless `revokeTokens` is set.
 */
export async function rotateClientSecret(
  ref: string,
  options: { revokeTokens?: boolean; by?: string | null } = {},
): Promise<IssuedCredentials & { revokedTokens: number }> {
  const clientSecret = newClientSecret();
  return withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    const updated = await agents.updateAgent(tx, agent.id, { clientSecretHash: hashSecret(clientSecret) });
    const revokedTokens = options.revokeTokens
      ? await tokens.revokeAgentTokens(tx, agent.id, "secret_rotated", new Date())
      : 0;
    await audit.recordAudit(tx, {
      agentId: agent.id,
      action: "agent.secret_rotated",
      allowed: true,
      detail: { by: options.by ?? null, revokedTokens },
    });
    return { agent: updated, clientId: updated.clientId, clientSecret, revokedTokens };
  });
}

/** Disabling revokes every token at once; enabling lets the agent exchange its credential again. */
export async function setAgentDisabled(ref: string, disabled: boolean, by: string | null = null): Promise<AgentRow> {
  return withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    const now = new Date();
    const updated = await agents.updateAgent(tx, agent.id, { disabledAt: disabled ? (agent.disabledAt ?? now) : null });
    const revokedTokens = disabled ? await tokens.revokeAgentTokens(tx, agent.id, "agent_disabled", now) : 0;
    await audit.recordAudit(tx, {
      agentId: agent.id,
      action: disabled ? "agent.disabled" : "agent.enabled",
      allowed: true,
      detail: { by, revokedTokens },
    });
    return updated;
  });
}

/** Deletes the agent and its tokens; its audit events stay, detached. */
export async function deleteAgent(ref: string): Promise<AgentRow> {
  return withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    await agents.deleteAgent(tx, agent.id);
    return agent;
  });
}

export async function listAgentsWithStats(): Promise<AgentWithStats[]> {
  return withTransaction(async (tx) => {
    const now = new Date();
    const [rows, counts, health] = await Promise.all([agents.listAgents(tx), tokens.countActiveTokensByAgent(tx, now), assessAgents(tx, now)]);
    return rows.flatMap((row) => {
      const assessed = health.get(row.id);
      return assessed ? [{ ...row, activeTokens: counts.get(row.id) ?? 0, health: assessed }] : [];
    });
  });
}

export async function getAgentDetail(ref: string, options: { auditLimit?: number } = {}) {
  return withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    const now = new Date();
    const [activeTokens, auditEvents, health] = await Promise.all([
      tokens.listActiveTokens(tx, agent.id, now),
      audit.listAuditForAgent(tx, agent.id, Math.min(Math.max(options.auditLimit ?? 50, 1), 500)),
      assessAgents(tx, now, [agent.id]),
    ]);
    return { agent: { ...agent, activeTokens: activeTokens.length, health: health.get(agent.id) }, tokens: activeTokens, audit: auditEvents };
  });
}

export async function listAgentTokens(ref: string): Promise<tokens.TokenRow[]> {
  return withTransaction(async (tx) => tokens.listActiveTokens(tx, (await requireAgent(tx, ref)).id, new Date()));
}

/** Revokes one token of the agent; takes effect on the token's next use. */
export async function revokeToken(ref: string, tokenId: string, by: string | null = null): Promise<void> {
  await withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    const count = await tokens.revokeTokenById(tx, agent.id, tokenId, "revoked", new Date());
    if (count === 0) throw new AppError("not_found", `Agent ${agent.name} has no active token ${tokenId}`);
    await audit.recordAudit(tx, { agentId: agent.id, tokenId, action: "token.revoked", allowed: true, detail: { by } });
  });
}

/** Revokes every token the agent holds; it must exchange its client credential again. */
export async function revokeAllForAgent(ref: string, by: string | null = null): Promise<{ agent: AgentRow; revoked: number }> {
  return withTransaction(async (tx) => {
    const agent = await requireAgent(tx, ref);
    const revoked = await tokens.revokeAgentTokens(tx, agent.id, "revoked", new Date());
    await audit.recordAudit(tx, { agentId: agent.id, action: "token.revoked", allowed: true, detail: { by, all: true, revoked } });
    return { agent, revoked };
  });
}
