import { z } from "zod";
import type { AgentRow } from "@/lib/agents/agents.repository";
import type { AuditRow } from "@/lib/agents/audit.repository";
import type { TokenRow } from "@/lib/agents/tokens.repository";
import type { AgentHealth } from "@/lib/agents/watch";

// JSON shapes of the agents management API. Never includes a secret or a token hash.

export type AgentDto = ReturnType<typeof toAgentDto>;

export function toAgentDto(agent: AgentRow & { activeTokens?: number; health?: AgentHealth }) {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    clientId: agent.clientId,
    jobKinds: agent.jobKinds,
    pipelines: agent.pipelines,
    status: agent.disabledAt ? ("disabled" as const) : ("active" as const),
    disabledAt: agent.disabledAt?.toISOString() ?? null,
    lastSeenAt: agent.lastSeenAt?.toISOString() ?? null,
    checkInMinutes: agent.checkInMinutes,
    health: agent.health ?? null,
    activeTokens: agent.activeTokens ?? null,
    createdBy: agent.createdBy,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

export function toTokenDto(token: TokenRow) {
  return {
    id: token.id,
    kind: token.kind,
    familyId: token.familyId,
    parentId: token.parentId,
    expiresAt: token.expiresAt.toISOString(),
    usedAt: token.usedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedReason: token.revokedReason,
    createdAt: token.createdAt.toISOString(),
  };
}

export function toAuditDto(event: AuditRow) {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

/** The curl that exchanges a credential for tokens, shown next to a freshly issued secret. */
export function tokenCurl(appUrl: string, clientId: string, clientSecret: string): string {
  return [
    `curl -s -X POST ${appUrl}/api/agent/token \\`,
    `  -d grant_type=client_credentials \\`,
    `  -d client_id=${clientId} \\`,
    `  -d client_secret=${clientSecret}`,
  ].join("\n");
}

export const createAgentBody = z
  .object({
    name: z.string(),
    description: z.string().nullish(),
    jobKinds: z.array(z.string()).optional(),
    pipelines: z.array(z.string()).optional(),
  })
  .meta({ id: "CreateAgentRequest" });

export const updateAgentBody = z
  .object({
    description: z.string().nullish(),
    checkInMinutes: z.number().int().min(1).max(7 * 24 * 60).optional().describe("How often the agent is expected to check in (its rounds), in minutes"),
    jobKinds: z.array(z.string()).optional(),
    pipelines: z.array(z.string()).optional(),
  })
  .meta({ id: "UpdateAgentRequest" });

export const rotateSecretBody = z.object({ revokeTokens: z.boolean().default(false) });
