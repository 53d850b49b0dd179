import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authenticateAgent, REVOKED_ACCESS_TOKEN } from "@/lib/agents/authenticate";
import { createAgent, revokeToken, setAgentDisabled, updateAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { authCache, authCacheActive, authChanged, authListenerPid, authNoticesHeard, startAuthChangeListener, stopAuthChangeListener } from "@/lib/auth/auth-changes";
import { revokeSession } from "@/lib/auth/revoked-sessions.repository";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { withTransaction } from "@/lib/db/transaction";
import { createUser, setUserDisabled, setUserRole } from "@/lib/users/service";

// Sessions and agent tokens are checked once and the answer kept while nothing changes it. What
// must hold: a change made here applies to the very next request; one made elsewhere (another
// instance, psql) as soon as PostgreSQL's notice arrives; without the listening connection nothing
// is kept at all.

const AUTH_TRIGGERS = [
  ["agent_tokens", "agent_tokens_auth_changed"],
  ["agents", "agents_auth_changed"],
  ["users", "users_auth_changed"],
  ["revoked_sessions", "revoked_sessions_auth_changed"],
] as const;

/** A change the instance is not told about (no trigger, no local hook): shows what is kept. */
async function silently(sql: string): Promise<void> {
  const db = getDb();
  for (const [table, trigger] of AUTH_TRIGGERS) await db.$executeRawUnsafe(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  try {
    await db.$executeRawUnsafe(sql);
  } finally {
    for (const [table, trigger] of AUTH_TRIGGERS) await db.$executeRawUnsafe(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  }
}

let agentNumber = 0;
async function newAgentToken() {
  const name = `cache-agent-${++agentNumber}`;
  const issued = await createAgent({ name, jobKinds: [], pipelines: ["system.echo"] }, null);
  const tokens = await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", `req_${name}`);
  const [row] = await getDb().$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM agent_tokens WHERE agent_id = $1 AND kind = 'access'`, issued.agent.id);
  // The notices of creating it (the agent marked as seen) are in, so they drop nothing later.
  await authNoticesHeard();
  return { name, agentId: issued.agent.id, header: `Bearer ${tokens.access_token}`, tokenId: row!.id };
}

const secret = process.env.AUTH_SECRET!;
async function sessionFor(email: string) {
  const user = await createUser({ email, password: "a-long-enough-password-1", role: "member" });
  const sid = `sid-${email}`;
  const cookie = await encode({ token: { uid: user.user.id, sid, sv: user.user.sessionVersion }, secret });
  await authNoticesHeard();
  const jar = { getAll: () => ["next-auth.session-token", "__Secure-next-auth.session-token"].map((name) => ({ name, value: cookie })) };
  return { user: user.user, sid, jar };
}

describe("checks kept while the listener listens", () => {
  beforeAll(async () => {
    await startAuthChangeListener();
    if (!authCacheActive()) throw new Error("the auth-change listener did not start");
  });
  afterAll(stopAuthChangeListener);

  it("keeps an access token's check: a change nobody is told about is not seen", async () => {
    const agent = await newAgentToken();
    expect((await authenticateAgent(agent.header, "req_1")).agentName).toBe(agent.name);
    await silently(`UPDATE agent_tokens SET revoked_at = now() WHERE id = '${agent.tokenId}'`);
    // Served from what was kept (this is why every change must be announced).
    expect((await authenticateAgent(agent.header, "req_2")).agentName).toBe(agent.name);
    authChanged();
    await expect(authenticateAgent(agent.header, "req_3")).rejects.toThrow(REVOKED_ACCESS_TOKEN);
  });

  it("applies a revocation, a disabled agent and a new scope made here to the very next request", async () => {
    const revoked = await newAgentToken();
    await authenticateAgent(revoked.header, "req_1");
    await revokeToken(revoked.agentId, revoked.tokenId, "test");
    await expect(authenticateAgent(revoked.header, "req_2")).rejects.toThrow(REVOKED_ACCESS_TOKEN);

    const disabled = await newAgentToken();
    await authenticateAgent(disabled.header, "req_1");
    await setAgentDisabled(disabled.agentId, true);
    await expect(authenticateAgent(disabled.header, "req_2")).rejects.toThrow(/disabled/);

    const rescoped = await newAgentToken();
    expect((await authenticateAgent(rescoped.header, "req_1")).pipelines).toEqual(["system.echo"]);
    await updateAgent(rescoped.agentId, { pipelines: [] }, null);
    expect((await authenticateAgent(rescoped.header, "req_2")).pipelines).toEqual([]);
  });

  it("applies a change made elsewhere (another instance, psql) once PostgreSQL's notice arrives", async () => {
    const agent = await newAgentToken();
    await authenticateAgent(agent.header, "req_1");
    const changed = Date.now();
    await getDb().$executeRawUnsafe(`UPDATE agent_tokens SET revoked_at = now() WHERE id = '${agent.tokenId}'`);
    await expect.poll(() => authenticateAgent(agent.header, "req_2").then(() => "let in", (error: Error) => error.message), { timeout: 2_000, interval: 5 }).toBe(REVOKED_ACCESS_TOKEN);
    expect(Date.now() - changed).toBeLessThan(1_000);
  });

  it("reads a token past its expiry again instead of trusting what was kept", async () => {
    const agent = await newAgentToken();
    await getDb().$executeRawUnsafe(`UPDATE agent_tokens SET expires_at = (now() AT TIME ZONE 'UTC') + interval '800 milliseconds' WHERE id = '${agent.tokenId}'`);
    await expect.poll(async () => (await authenticateAgent(agent.header, "req_1")).expiresAt!.getTime() - Date.now(), { interval: 5 }).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 900));
    await expect(authenticateAgent(agent.header, "req_2")).rejects.toThrow(/expired/);
  });

  it("ends a session at once when it is signed out, the user disabled, or given another role", async () => {
    const signedOut = await sessionFor("cache-signout@example.com");
    expect((await getSessionUser(signedOut.jar))?.id).toBe(signedOut.user.id);
    await withTransaction((tx) => revokeSession(tx, { sid: signedOut.sid, userId: signedOut.user.id, expiresAt: new Date(Date.now() + 3_600_000) }));
    expect(await getSessionUser(signedOut.jar)).toBeNull();

    const disabled = await sessionFor("cache-disabled@example.com");
    expect(await getSessionUser(disabled.jar)).not.toBeNull();
    await setUserDisabled(disabled.user.email, true);
    expect(await getSessionUser(disabled.jar)).toBeNull();

    const promoted = await sessionFor("cache-role@example.com");
    expect((await getSessionUser(promoted.jar))?.role).toBe("member");
    await setUserRole(promoted.user.email, "admin");
    expect((await getSessionUser(promoted.jar))?.role).toBe("admin");
  });

  it("keeps nothing read while a change was being made", async () => {
    const cache = authCache<string>("race-test");
    let loads = 0;
    // The change commits (and its notice arrives) while the first read is on its way.
    const first = await cache.get("k", async () => (loads++, authChanged(), "before"), () => true);
    expect(first).toBe("before");
    expect(await cache.get("k", async () => (loads++, "after"), () => true)).toBe("after");
    expect(await cache.get("k", async () => (loads++, "never read"), () => true)).toBe("after");
    expect(loads).toBe(2);
  });

  it("keeps no refusal: a token that does not work is read again each time", async () => {
    const cache = authCache<string | null>("refusals-test");
    let loads = 0;
    for (let i = 0; i < 3; i++) await cache.get("bad", async () => (loads++, null), (value) => value !== null);
    expect(loads).toBe(3);
  });
});

describe("without the listening connection", () => {
  beforeEach(async () => {
    await startAuthChangeListener();
    if (!authCacheActive()) throw new Error("the auth-change listener did not start");
  });
  afterAll(stopAuthChangeListener);

  it("keeps nothing when it drops, and again once it is back", async () => {
    const agent = await newAgentToken();
    await authenticateAgent(agent.header, "req_1");
    await getDb().$executeRawUnsafe(`SELECT pg_terminate_backend(${authListenerPid()})`);
    await expect.poll(authCacheActive, { timeout: 2_000, interval: 5 }).toBe(false);
    // Not told (no trigger, no notice to a listener that is gone), and still seen at once.
    await silently(`UPDATE agent_tokens SET revoked_at = now() WHERE id = '${agent.tokenId}'`);
    await expect(authenticateAgent(agent.header, "req_2")).rejects.toThrow(REVOKED_ACCESS_TOKEN);
    // It reconnects by itself.
    await expect.poll(authCacheActive, { timeout: 5_000 }).toBe(true);
    const again = await newAgentToken();
    await authenticateAgent(again.header, "req_3");
    await silently(`UPDATE agent_tokens SET revoked_at = now() WHERE id = '${again.tokenId}'`);
    expect((await authenticateAgent(again.header, "req_4")).agentName).toBe(again.name);
  });

  it("keeps nothing once stopped", async () => {
    await stopAuthChangeListener();
    expect(authCacheActive()).toBe(false);
    const agent = await newAgentToken();
    await authenticateAgent(agent.header, "req_1");
    await silently(`UPDATE agent_tokens SET revoked_at = now() WHERE id = '${agent.tokenId}'`);
    await expect(authenticateAgent(agent.header, "req_2")).rejects.toThrow(REVOKED_ACCESS_TOKEN);
  });
});
