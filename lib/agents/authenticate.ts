import { authCache } from "@/lib/auth/auth-changes";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import * as agents from "@/lib/agents/agents.repository";
import { hashSecret } from "@/lib/agents/credentials";
import * as tokens from "@/lib/agents/tokens.repository";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { recordRefusedRound } from "@/lib/agents/watch";
import { getLogger } from "@/lib/logger";

// Bearer access token → the calling agent. The scope comes from the agent record, read again after
// any change to it, so a scope change or a revocation applies to the very next call.

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

/**
 * Access tokens that let their agent in, kept for a few seconds (lib/auth/auth-changes.ts): a
 * revocation, a disabled or deleted agent or a new scope drops them at once, and one past its
 * expiry is read again. Not kept: refusals, and answers that record the agent as seen (the next
 * answer, read after that write, is).
 */
const accessTokens = authCache<tokens.TokenForRequest | null>("agent-access-tokens");

const usableAsIs = (token: tokens.TokenForRequest | null) =>
  token !== null && token.kind === "access" && !token.agentDisabled && !token.revoked && !token.expired && !token.seenLongAgo && !token.refusedSinceSeen;

export async function authenticateAgent(authorizationHeader: string | null, requestId: string): Promise<AgentPrincipal> {
  const match = authorizationHeader?.match(BEARER);
  if (!match?.[1]) {
    throw unauthorized("Send an agent access token as `Authorization: Bearer pa_at_…` (get one from POST /api/agent/token)");
  }
  const db = autocommit();
  const tokenHash = hashSecret(match[1]);
  const token = await accessTokens.get(tokenHash, () => tokens.findTokenForRequest(db, tokenHash), usableAsIs, (kept, now) => kept!.expiresAt.getTime() > now);
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
