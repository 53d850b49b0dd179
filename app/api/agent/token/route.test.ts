import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as meRoute } from "@/app/api/agent/me/route";
import { autocommit } from "@/lib/db/transaction";
import { configureLogging } from "@/lib/logger";
import { authenticateAgent, EXPIRED_ACCESS_TOKEN } from "@/lib/agents/authenticate";
import { hashSecret } from "@/lib/agents/credentials";
import { createAgent, revokeAllForAgent, revokeToken, rotateClientSecret, setAgentDisabled } from "@/lib/agents/service";
import { callRoute, clientCredentialsToken, requestToken } from "@/tests/agents/agent-http";
import { REFRESH_REUSE } from "@/lib/agents/tokens";
import { withEnv } from "@/tests/setup/config-env";

// The token lifecycle through POST /api/agent/token and authenticateAgent, against a real database.

const logs: string[] = [];
const issued: string[] = [];

beforeAll(() => {
  configureLogging({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
});

afterAll(() => {
  // No secret or token ever reaches a log line.
  const all = logs.join("\n");
  expect(all.length).toBeGreaterThan(0);
  for (const secret of issued) expect(all).not.toContain(secret);
  configureLogging({});
});

let counter = 0;
async function newAgent(scope: { pipelines?: string[]; jobKinds?: string[] } = {}) {
  const created = await createAgent({ name: `agent-${++counter}`, pipelines: scope.pipelines ?? ["system.echo"], jobKinds: scope.jobKinds }, "owner@example.com");
  issued.push(created.clientSecret);
  return created;
}

async function exchange(clientId: string, clientSecret: string, ip?: string) {
  const tokens = await clientCredentialsToken(clientId, clientSecret, ip);
  issued.push(tokens.access_token, tokens.refresh_token);
  return tokens;
}

function refresh(refreshToken: string) {
  return requestToken({ grant_type: "refresh_token", refresh_token: refreshToken });
}

const tokensOf = (agentId: string) =>
  autocommit().agentToken.findMany({ where: { agentId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const auditOf = (agentId: string, action: string) =>
  autocommit().agentAuditEvent.findMany({ where: { agentId, action }, orderBy: { createdAt: "asc" } });

describe("client credential exchange", () => {
  it("issues an access and a refresh token that are stored only as hashes", async () => {
    const { agent, clientId, clientSecret } = await newAgent({ pipelines: ["system.echo"], jobKinds: ["inbox.reply-draft"] });
    expect(clientId).toMatch(/^pa_client_[A-Za-z0-9_-]{22}$/);
    expect(clientSecret).toMatch(/^pa_secret_[A-Za-z0-9_-]{43}$/);

    const answer = await requestToken({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const body = answer.json as Record<string, string>;
    issued.push(body.access_token!, body.refresh_token!);
    expect(answer.json).toMatchObject({
      token_type: "Bearer",
      expires_in: 15 * 60,
      refresh_expires_in: 30 * 86_400,
      scope: { jobKinds: ["inbox.reply-draft"], pipelines: ["system.echo"] },
    });
    expect(body.access_token).toMatch(/^pa_at_[A-Za-z0-9_-]{43}$/);
    expect(body.refresh_token).toMatch(/^pa_rt_[A-Za-z0-9_-]{43}$/);

    const rows = await autocommit().$queryRawUnsafe<unknown[]>("SELECT * FROM agent_tokens");
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(body.access_token);
    expect(dump).not.toContain(body.refresh_token);
    expect(dump).toContain(hashSecret(body.access_token!));
    const agentRows = JSON.stringify(await autocommit().$queryRawUnsafe<unknown[]>("SELECT * FROM agents"));
    expect(agentRows).not.toContain(clientSecret);

    const principal = await authenticateAgent(`Bearer ${body.access_token}`, "req_test_1");
    expect(principal).toMatchObject({ agentId: agent.id, agentName: agent.name, pipelines: ["system.echo"] });
    expect((await auditOf(agent.id, "token.issued")).length).toBe(1);
  });

  it("accepts JSON bodies too, and rejects an unknown grant type with 400", async () => {
    const { clientId, clientSecret } = await newAgent();
    const { POST } = await import("@/app/api/agent/token/route");
    const json = await callRoute(POST, "/api/agent/token", {
      body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
    });
    expect(json.status).toBe(200);
    issued.push(json.json.access_token as string, json.json.refresh_token as string);

    const bad = await requestToken({ grant_type: "password", username: "x", password: "y" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "bad_request", details: { error: "unsupported_grant_type" } });
  });

  it("refuses a wrong secret with 401 invalid_client and records the attempt", async () => {
    const { agent, clientId } = await newAgent();
    const answer = await requestToken({ grant_type: "client_credentials", client_id: clientId, client_secret: "pa_secret_wrong" });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toMatchObject({ code: "unauthorized", details: { error: "invalid_client" } });
    const denied = await auditOf(agent.id, "token.denied");
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ allowed: false, target: clientId, detail: { reason: "bad_secret" } });
    expect(await tokensOf(agent.id)).toHaveLength(0);
  });

  it("refuses a disabled agent, and disabling revokes its tokens at once", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const tokens = await exchange(clientId, clientSecret);
    await setAgentDisabled(agent.name, true);
    await expect(authenticateAgent(`Bearer ${tokens.access_token}`, "req_test_2")).rejects.toMatchObject({ status: 401 });
    const answer = await requestToken({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
    expect(answer.status).toBe(401);
    expect((answer.json.error as { message: string }).message).toContain("disabled");
    expect((await refresh(tokens.refresh_token)).status).toBe(401);

    await setAgentDisabled(agent.name, false);
    await exchange(clientId, clientSecret);
  });

  it("rotating the secret stops the old one and keeps existing tokens unless asked", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const tokens = await exchange(clientId, clientSecret);
    const rotated = await rotateClientSecret(agent.name);
    issued.push(rotated.clientSecret);
    expect((await requestToken({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret })).status).toBe(401);
    await authenticateAgent(`Bearer ${tokens.access_token}`, "req_test_3");
    await exchange(clientId, rotated.clientSecret);

    const again = await rotateClientSecret(agent.id, { revokeTokens: true });
    issued.push(again.clientSecret);
    await expect(authenticateAgent(`Bearer ${tokens.access_token}`, "req_test_3")).rejects.toMatchObject({ status: 401 });
  });
});

describe("authenticateAgent", () => {
  it("refuses malformed headers, unknown tokens and refresh tokens", async () => {
    const { clientId, clientSecret } = await newAgent();
    const tokens = await exchange(clientId, clientSecret);
    for (const header of [null, "", "Basic abc", "Bearer", `Token ${tokens.access_token}`]) {
      await expect(authenticateAgent(header, "req_t")).rejects.toMatchObject({ status: 401, message: expect.stringContaining("Bearer") });
    }
    await expect(authenticateAgent("Bearer pa_at_unknown", "req_t")).rejects.toMatchObject({ status: 401, message: "The access token is not valid" });
    await expect(authenticateAgent(`Bearer ${tokens.refresh_token}`, "req_t")).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining("refresh token"),
    });
  });

  it("refuses an expired access token with a message that says to refresh", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const tokens = await exchange(clientId, clientSecret);
    await authenticateAgent(`Bearer ${tokens.access_token}`, "req_t");
    await autocommit().agentToken.updateMany({ where: { agentId: agent.id, kind: "access" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(authenticateAgent(`Bearer ${tokens.access_token}`, "req_t")).rejects.toMatchObject({ status: 401, message: EXPIRED_ACCESS_TOKEN });

    const me = await callRoute(meRoute, "/api/agent/me", { token: tokens.access_token });
    expect(me.status).toBe(401);
    expect(me.json.error).toMatchObject({ code: "unauthorized", message: EXPIRED_ACCESS_TOKEN });
  });

  it("issues access tokens for the configured number of minutes", async () => {
    await withEnv({ AGENT_ACCESS_TOKEN_MINUTES: "1" }, async () => {
      const { agent, clientId, clientSecret } = await newAgent();
      const before = Date.now();
      const tokens = await exchange(clientId, clientSecret);
      expect(tokens.expires_in).toBe(60);
      const access = (await tokensOf(agent.id)).find((t) => t.kind === "access")!;
      expect(access.expiresAt.getTime() - before).toBeGreaterThan(55_000);
      expect(access.expiresAt.getTime() - before).toBeLessThan(65_000);
    });
  });

  it("updates lastSeenAt at most once a minute, and /api/agent/me answers who is calling", async () => {
    const { agent, clientId, clientSecret } = await newAgent({ pipelines: ["system.echo"], jobKinds: ["inbox.reply-draft"] });
    const tokens = await exchange(clientId, clientSecret);
    const me = await callRoute(meRoute, "/api/agent/me", { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      agent: { id: agent.id, name: agent.name },
      scope: { pipelines: ["system.echo"], jobKinds: ["inbox.reply-draft"] },
      expiresAt: expect.any(String),
    });
    const stale = new Date(Date.now() - 5 * 60_000);
    await autocommit().agent.update({ where: { id: agent.id }, data: { lastSeenAt: stale } });
    await authenticateAgent(`Bearer ${tokens.access_token}`, "req_t");
    const seen = (await autocommit().agent.findUniqueOrThrow({ where: { id: agent.id } })).lastSeenAt!;
    expect(seen.getTime()).toBeGreaterThan(stale.getTime());
    await authenticateAgent(`Bearer ${tokens.access_token}`, "req_t");
    expect((await autocommit().agent.findUniqueOrThrow({ where: { id: agent.id } })).lastSeenAt).toEqual(seen);
  });
});

describe("refresh", () => {
  it("rotates: a new pair in the same family, the old refresh token marked used", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const first = await exchange(clientId, clientSecret);
    const answer = await refresh(first.refresh_token);
    expect(answer.status).toBe(200);
    const second = answer.json as { access_token: string; refresh_token: string };
    issued.push(second.access_token, second.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const rows = await tokensOf(agent.id);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
    const oldRefresh = rows.find((r) => r.tokenHash === hashSecret(first.refresh_token))!;
    expect(oldRefresh.usedAt).toBeInstanceOf(Date);
    const newRefresh = rows.find((r) => r.tokenHash === hashSecret(second.refresh_token))!;
    expect(newRefresh).toMatchObject({ parentId: oldRefresh.id, usedAt: null, revokedAt: null });
    // The earlier access token stays valid until it expires.
    await authenticateAgent(`Bearer ${first.access_token}`, "req_t");
    await authenticateAgent(`Bearer ${second.access_token}`, "req_t");
  });

  it("detects reuse: the second use of a refresh token is 401 and revokes the whole family", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const other = await exchange(clientId, clientSecret); // a separate family, left alone
    const first = await exchange(clientId, clientSecret);
    const second = (await refresh(first.refresh_token)).json as { access_token: string; refresh_token: string };
    issued.push(second.access_token, second.refresh_token);

    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.json.error).toMatchObject({ code: "unauthorized", message: REFRESH_REUSE });

    const familyId = await familyOf(first.access_token);
    const family = (await tokensOf(agent.id)).filter((t) => t.familyId === familyId);
    expect(family).toHaveLength(4);
    for (const token of family) expect(token).toMatchObject({ revokedAt: expect.any(Date), revokedReason: "refresh_token_reuse" });
    await expect(authenticateAgent(`Bearer ${second.access_token}`, "req_t")).rejects.toMatchObject({ status: 401 });
    await expect(authenticateAgent(`Bearer ${first.access_token}`, "req_t")).rejects.toMatchObject({ status: 401 });
    expect((await refresh(second.refresh_token)).status).toBe(401);
    await authenticateAgent(`Bearer ${other.access_token}`, "req_t");

    const events = await auditOf(agent.id, "token.refresh_reuse");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ allowed: false, detail: { revokedTokens: 4 } });
  });

  it("refuses an expired refresh token, and an access token presented as a refresh token", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const tokens = await exchange(clientId, clientSecret);
    expect((await refresh(tokens.access_token)).status).toBe(401);
    await autocommit().agentToken.updateMany({ where: { agentId: agent.id, kind: "refresh" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const answer = await refresh(tokens.refresh_token);
    expect(answer.status).toBe(401);
    expect((answer.json.error as { message: string }).message).toContain("expired");
  });
});

async function familyOf(rawToken: string): Promise<string> {
  return (await autocommit().agentToken.findUniqueOrThrow({ where: { tokenHash: hashSecret(rawToken) } })).familyId;
}

describe("revocation", () => {
  it("takes effect at once, one token or all of them", async () => {
    const { agent, clientId, clientSecret } = await newAgent();
    const a = await exchange(clientId, clientSecret);
    const b = await exchange(clientId, clientSecret);
    const principal = await authenticateAgent(`Bearer ${a.access_token}`, "req_t");
    await revokeToken(agent.id, principal.tokenId);
    await expect(authenticateAgent(`Bearer ${a.access_token}`, "req_t")).rejects.toMatchObject({ message: expect.stringContaining("revoked") });
    await authenticateAgent(`Bearer ${b.access_token}`, "req_t");

    const { revoked } = await revokeAllForAgent(agent.name);
    expect(revoked).toBe(3);
    await expect(authenticateAgent(`Bearer ${b.access_token}`, "req_t")).rejects.toMatchObject({ status: 401 });
    expect((await refresh(b.refresh_token)).status).toBe(401);
  });
});

describe("rate limit", () => {
  it("answers 429 to further guesses after too many failures for a client id, while the right secret and other clients still work", async () => {
    await withEnv({ AGENT_TOKEN_RATE_LIMIT: "3" }, async () => {
      const target = await newAgent();
      const bystander = await newAgent();
      for (let i = 0; i < 3; i++) {
        const failed = await requestToken({ grant_type: "client_credentials", client_id: target.clientId, client_secret: "wrong" }, `10.1.0.${i}`);
        expect(failed.status).toBe(401);
      }
      // Further guesses are refused outright…
      const limited = await requestToken({ grant_type: "client_credentials", client_id: target.clientId, client_secret: "wrong-again" }, "10.1.0.9");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);
      expect(limited.json.error).toMatchObject({ code: "rate_limited" });
      // …but wrong secrets sent with the public client id cannot lock the agent out: the right one still works.
      await exchange(target.clientId, target.clientSecret, "10.1.0.9");

      await exchange(bystander.clientId, bystander.clientSecret, "10.1.0.9");
    });
  });

  it("limits failures per address, four times wider, across client ids and refresh attempts", async () => {
    await withEnv({ AGENT_TOKEN_RATE_LIMIT: "2" }, async () => {
      for (let i = 0; i < 8; i++) {
        const failed = await requestToken({ grant_type: "refresh_token", refresh_token: `pa_rt_guess${i}` }, "10.2.0.1");
        expect(failed.status).toBe(401);
      }
      expect((await requestToken({ grant_type: "refresh_token", refresh_token: "pa_rt_more" }, "10.2.0.1")).status).toBe(429);
      expect((await requestToken({ grant_type: "refresh_token", refresh_token: "pa_rt_more" }, "10.2.0.2")).status).toBe(401);
    });
  });

  it("cannot be reset by an X-Forwarded-For header from a caller that is not a trusted proxy", async () => {
    await withEnv({ AGENT_TOKEN_RATE_LIMIT: "1" }, async () => {
      const guess = (i: number, forwardedFor: string) =>
        requestToken({ grant_type: "refresh_token", refresh_token: `pa_rt_spoof${i}` }, "10.3.0.1", { "x-forwarded-for": forwardedFor });
      for (let i = 0; i < 4; i++) expect((await guess(i, `198.51.100.${i}`)).status).toBe(401);
      expect((await guess(9, "198.51.100.200")).status).toBe(429);
    });
  });

  it("counts the forwarded client behind a trusted proxy, so clients behind one proxy are limited apart", async () => {
    await withEnv({ AGENT_TOKEN_RATE_LIMIT: "1", TRUSTED_PROXIES: "10.4.0.0/16" }, async () => {
      const guess = (i: number, forwardedFor: string) =>
        requestToken({ grant_type: "refresh_token", refresh_token: `pa_rt_proxied${i}` }, "10.4.0.1", { "x-forwarded-for": forwardedFor });
      for (let i = 0; i < 4; i++) expect((await guess(i, "198.51.100.7, 10.4.0.2")).status).toBe(401);
      expect((await guess(9, "198.51.100.7")).status).toBe(429);
      expect((await guess(10, "198.51.100.8")).status).toBe(401);
    });
  });
});
