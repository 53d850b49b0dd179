import { getConfig } from "@/lib/config";
import { withTransaction, type Tx } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import * as agents from "@/lib/agents/agents.repository";
import * as audit from "@/lib/agents/audit.repository";
import * as tokens from "@/lib/agents/tokens.repository";
import { hashSecret, newAccessToken, newRefreshToken, secretMatchesHash } from "@/lib/agents/credentials";
import { assertTokenRequestAllowed } from "@/lib/agents/rate-limit";

// The token service behind POST /api/agent/token. A client-credential exchange starts a token
// family; each refresh marks the presented refresh token used and issues a new access + refresh
// pair in the same family. Presenting a used refresh token again means it was copied: the whole
// family is revoked. Access tokens issued earlier in a family stay valid until they expire
// (minutes), unless the family is revoked.

export type TokenResponse = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  scope: { jobKinds: string[]; pipelines: string[] };
};

export const INVALID_CLIENT = "The client id or client secret is not correct";
export const REFRESH_REUSE =
  "refresh token reuse detected; this session was revoked — exchange the client credentials again";

// Verifying against a decoy when the client id is unknown keeps the response time the same.
const DECOY_HASH = hashSecret("pa_secret_decoy");

function invalidClient(message = INVALID_CLIENT): AppError {
  return new AppError("unauthorized", message, { error: "invalid_client" });
}

function invalidGrant(message: string): AppError {
  return new AppError("unauthorized", message, { error: "invalid_grant" });
}

function lifetimes() {
  const { AGENT_ACCESS_TOKEN_MINUTES, AGENT_REFRESH_TOKEN_DAYS } = getConfig();
  return { accessSeconds: AGENT_ACCESS_TOKEN_MINUTES * 60, refreshSeconds: AGENT_REFRESH_TOKEN_DAYS * 86_400 };
}

async function issuePair(
  tx: Tx,
  agent: agents.AgentRow,
  familyId: string,
  parentId: string | null,
  now: Date,
): Promise<{ response: TokenResponse; accessId: string }> {
  const { accessSeconds, refreshSeconds } = lifetimes();
  const accessToken = newAccessToken();
  const refreshToken = newRefreshToken();
  const access = await tokens.insertToken(tx, {
    agentId: agent.id,
    kind: "access",
    tokenHash: hashSecret(accessToken),
    familyId,
    parentId,
    expiresAt: new Date(now.getTime() + accessSeconds * 1000),
  });
  await tokens.insertToken(tx, {
    agentId: agent.id,
    kind: "refresh",
    tokenHash: hashSecret(refreshToken),
    familyId,
    parentId,
    expiresAt: new Date(now.getTime() + refreshSeconds * 1000),
  });
  await agents.touchLastSeen(tx, agent.id, now);
  return {
    accessId: access.id,
    response: {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: accessSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: refreshSeconds,
      scope: { jobKinds: [...agent.jobKinds], pipelines: [...agent.pipelines] },
    },
  };
}

export async function exchangeClientCredentials(
  clientId: string,
  clientSecret: string,
  ip: string,
  requestId: string,
): Promise<TokenResponse> {
  await assertTokenRequestAllowed({ ip }, requestId);
  const log = getLogger({ component: "agents" });
  const agent = await withTransaction((tx) => agents.findCredentialsByClientId(tx, clientId));
  const secretOk = secretMatchesHash(clientSecret, agent?.clientSecretHash ?? DECOY_HASH);
  const failure = !agent ? "unknown_client" : !secretOk ? "bad_secret" : agent.disabledAt ? "agent_disabled" : null;

  if (failure || !agent) {
    // The client id is public, so its limit only slows down guessing: it applies to wrong secrets,
    // never to the right one (a 256-bit secret cannot be guessed; a lockout could be forced).
    await assertTokenRequestAllowed({ clientId, ip }, requestId);
    await withTransaction((tx) =>
      audit.recordAudit(tx, {
        agentId: agent?.id ?? null,
        action: "token.denied",
        target: clientId,
        allowed: false,
        detail: { grant: "client_credentials", reason: failure },
        ip,
        requestId,
      }),
    );
    log.info({ agentId: agent?.id, reason: failure }, "agent token exchange refused");
    // Only a caller holding the right secret learns that the agent is disabled.
    throw failure === "agent_disabled" ? invalidClient("This agent is disabled; ask the owner to enable it") : invalidClient();
  }

  const now = new Date();
  const issued = await withTransaction(async (tx) => {
    const pair = await issuePair(tx, agent, newId("tok"), null, now);
    await audit.recordAudit(tx, {
      agentId: agent.id,
      tokenId: pair.accessId,
      action: "token.issued",
      target: clientId,
      allowed: true,
      detail: { grant: "client_credentials" },
      ip,
      requestId,
    });
    return pair;
  });
  log.info({ agentId: agent.id, tokenId: issued.accessId }, "agent token issued");
  return issued.response;
}

async function refuseRefresh(
  record: Omit<audit.AuditRecord, "action" | "allowed"> & { action?: audit.AuditAction },
  error: AppError,
): Promise<never> {
  await withTransaction((tx) => audit.recordAudit(tx, { action: "token.refresh_denied", ...record, allowed: false }));
  throw error;
}

async function revokeForReuse(token: tokens.TokenRow, ip: string, requestId: string): Promise<never> {
  const revoked = await withTransaction(async (tx) => {
    const count = await tokens.revokeFamily(tx, token.familyId, "refresh_token_reuse", new Date());
    await audit.recordAudit(tx, {
      agentId: token.agentId,
      tokenId: token.id,
      action: "token.refresh_reuse",
      target: token.familyId,
      allowed: false,
      detail: { revokedTokens: count },
      ip,
      requestId,
    });
    return count;
  });
  getLogger({ component: "agents" }).warn(
    { agentId: token.agentId, tokenId: token.id, familyId: token.familyId, revoked },
    "refresh token reuse: token family revoked",
  );
  throw invalidGrant(REFRESH_REUSE);
}

export async function refreshTokens(refreshToken: string, ip: string, requestId: string): Promise<TokenResponse> {
  await assertTokenRequestAllowed({ ip }, requestId);
  const found = await withTransaction((tx) => tokens.findTokenByHash(tx, hashSecret(refreshToken)));
  const base = { agentId: found?.agentId ?? null, tokenId: found?.id ?? null, ip, requestId };
  if (!found || found.kind !== "refresh") {
    return refuseRefresh({ ...base, agentId: null, tokenId: null, detail: { reason: "unknown" } }, invalidGrant("The refresh token is not valid"));
  }
  if (found.usedAt) return revokeForReuse(found, ip, requestId);
  if (found.revokedAt) {
    return refuseRefresh(
      { ...base, detail: { reason: "revoked" } },
      invalidGrant("The refresh token was revoked; exchange the client credentials again"),
    );
  }
  if (found.expiresAt.getTime() <= Date.now()) {
    return refuseRefresh(
      { ...base, detail: { reason: "expired" } },
      invalidGrant("The refresh token has expired; exchange the client credentials again"),
    );
  }
  if (found.agent.disabledAt) {
    return refuseRefresh({ ...base, detail: { reason: "agent_disabled" } }, invalidClient("This agent is disabled; ask the owner to enable it"));
  }

  const now = new Date();
  const issued = await withTransaction(async (tx) => {
    // Two requests racing with one refresh token: only one marks it used; the other is a reuse.
    if (!(await tokens.markRefreshUsed(tx, found.id, now))) return null;
    const pair = await issuePair(tx, found.agent, found.familyId, found.id, now);
    await audit.recordAudit(tx, {
      agentId: found.agentId,
      tokenId: pair.accessId,
      action: "token.refreshed",
      target: found.familyId,
      allowed: true,
      detail: { grant: "refresh_token", parentId: found.id },
      ip,
      requestId,
    });
    return pair;
  });
  if (!issued) return revokeForReuse(found, ip, requestId);
  return issued.response;
}
