import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import * as agents from "@/lib/agents/agents.repository";
import { hashSecret } from "@/lib/agents/credentials";
import * as tokens from "@/lib/agents/tokens.repository";
import type { AgentPrincipal } from "@/lib/agents/principal";

// Bearer access token → the calling agent. The scope comes from the agent record on every request,
// so a scope change or a revocation applies to the very next call.

export const EXPIRED_ACCESS_TOKEN = "The access token has expired; refresh it";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function unauthorized(message: string): AppError {
  return new AppError("unauthorized", message);
}

export async function authenticateAgent(authorizationHeader: string | null, requestId: string): Promise<AgentPrincipal> {
  void requestId; // kept in the signature for callers that record refusals later
  const match = authorizationHeader?.match(BEARER);
  if (!match?.[1]) {
    throw unauthorized("Send an agent access token as `Authorization: Bearer pa_at_…` (get one from POST /api/agent/token)");
  }
  const db = autocommit();
  const token = await tokens.findTokenByHash(db, hashSecret(match[1]));
  if (!token) throw unauthorized("The access token is not valid");
  if (token.kind !== "access") throw unauthorized("This is a refresh token; send it to POST /api/agent/token to get an access token");
  if (token.revokedAt) throw unauthorized("The access token was revoked; exchange the client credentials again");
  const now = new Date();
  if (token.expiresAt.getTime() <= now.getTime()) throw unauthorized(EXPIRED_ACCESS_TOKEN);
  if (token.agent.disabledAt) throw unauthorized("This agent is disabled; ask the owner to enable it");

  const seen = token.agent.lastSeenAt;
  if (!seen || now.getTime() - seen.getTime() > 60_000) await agents.touchLastSeen(db, token.agentId, now);

  return {
    agentId: token.agentId,
    agentName: token.agent.name,
    tokenId: token.id,
    jobKinds: token.agent.jobKinds,
    pipelines: token.agent.pipelines,
    expiresAt: token.expiresAt,
  };
}
