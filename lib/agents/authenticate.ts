import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import * as agents from "@/lib/agents/agents.repository";
import { hashSecret } from "@/lib/agents/credentials";
import * as tokens from "@/lib/agents/tokens.repository";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { recordRefusedRound } from "@/lib/agents/watch";
import { getLogger } from "@/lib/logger";

// Bearer access token → the calling agent. The scope comes from the agent record on every request,
// so a scope change or a revocation applies to the very next call.

export const EXPIRED_ACCESS_TOKEN = "The access token has expired; refresh it";
export const REVOKED_ACCESS_TOKEN = "The access token was revoked; exchange the client credentials again";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function unauthorized(message: string): AppError {
  return new AppError("unauthorized", message);
}

/** A token of a known agent that no longer works: the agent's round has failed, which the owner must see. */
async function refuseKnown(agentId: string, tokenId: string, reason: string, requestId: string): Promise<AppError> {
  await recordRefusedRound(agentId, tokenId, reason, requestId).catch((error: unknown) =>
    getLogger({ component: "agents" }).error({ err: error, agentId }, "could not record a refused round"),
  );
  return unauthorized(reason);
}

export async function authenticateAgent(authorizationHeader: string | null, requestId: string): Promise<AgentPrincipal> {
  const match = authorizationHeader?.match(BEARER);
  if (!match?.[1]) {
    throw unauthorized("Send an agent access token as `Authorization: Bearer pa_at_…` (get one from POST /api/agent/token)");
  }
  const db = autocommit();
  const token = await tokens.findTokenForRequest(db, hashSecret(match[1]));
  if (!token) throw unauthorized("The access token is not valid");
  if (token.kind !== "access") throw unauthorized("This is a refresh token; send it to POST /api/agent/token to get an access token");
  if (token.agentDisabled) throw unauthorized("This agent is disabled; ask the owner to enable it");
  if (token.revoked) throw await refuseKnown(token.agentId, token.id, REVOKED_ACCESS_TOKEN, requestId);
  if (token.expired) throw await refuseKnown(token.agentId, token.id, EXPIRED_ACCESS_TOKEN, requestId);

  if (token.refusedSinceSeen || token.seenLongAgo) await agents.touchLastSeen(db, token.agentId, new Date(), token.refusedSinceSeen);

  return {
    agentId: token.agentId,
    agentName: token.agentName,
    tokenId: token.id,
    jobKinds: token.jobKinds,
    pipelines: token.pipelines,
    expiresAt: token.expiresAt,
  };
}
