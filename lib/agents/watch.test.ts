import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateAgent } from "@/lib/agents/authenticate";
import { createAgent, getAgentDetail, listAgentsWithStats, revokeAllForAgent, updateAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { watchAgents } from "@/lib/agents/watch";
import { getDb } from "@/lib/db/client";
import { createJob } from "@/lib/jobs/create-job";
import { configureLogging } from "@/lib/logger";
import { getOverview } from "@/lib/overview/get-overview";
import { startFakeNotifyWebhook, type FakeNotifyWebhook } from "@/tests/fakes/notify-webhook";
import { envForFile } from "@/tests/setup/config-env";

// The platform watches its agents: stale with work waiting, no valid token, a refused round. Each
// incident notifies the owner once (through notify.send to a webhook on 127.0.0.1) and shows on
// the Agents data, the overview and the agent's audit log; it clears when the agent is healthy.

let webhook: FakeNotifyWebhook;

envForFile(async () => {
  webhook = await startFakeNotifyWebhook();
  return { NOTIFY_WEBHOOK_URL: webhook.url };
});

beforeAll(() => configureLogging({ level: "silent" }));
afterAll(() => webhook?.close());

const brief = { topic: "Postgres 18", questions: ["What changed?"] };
const titles = () => (webhook.received as Array<{ title: string; message: string }>).map((n) => n.title);

async function agentWithToken(name: string, jobKinds: string[]) {
  const issued = await createAgent({ name, jobKinds, pipelines: ["system.echo"] }, null);
  const tokens = await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", `req_${name}`);
  return { id: issued.agent.id, token: tokens.access_token };
}

async function health(name: string) {
  return (await listAgentsWithStats()).find((a) => a.name === name)!.health;
}

describe("agent watch", () => {
  it("warns once about an agent with work waiting that has not checked in within its interval, and clears when it does", async () => {
    const agent = await agentWithToken("slow-rounds", ["research.brief"]);
    await authenticateAgent(`Bearer ${agent.token}`, "req_round");
    expect(await health("slow-rounds")).toMatchObject({ status: "ok", waitingJobs: 0, lastClaimAt: null });

    await createJob({ kind: "research.brief", input: brief });
    await updateAgent("slow-rounds", { checkInMinutes: 5 }, null);
    // Its last round was 20 minutes ago.
    await getDb().agent.update({ where: { id: agent.id }, data: { lastSeenAt: new Date(Date.now() - 20 * 60_000) } });
    const stale = await health("slow-rounds");
    expect(stale).toMatchObject({ status: "stale", waitingJobs: 1, checkInMinutes: 5 });
    expect(stale.warning).toBe("It has not checked in for 20 min (expected every 5 min) while 1 job is waiting.");
    expect(stale.tokenExpiresAt).not.toBeNull();

    await watchAgents();
    await watchAgents(); // the same incident: no second notification
    expect(titles().filter((t) => t.includes("slow-rounds"))).toEqual(["Agent slow-rounds needs attention (stale)"]);
    const overview = await getOverview();
    expect(overview.agents.attention).toContainEqual(expect.objectContaining({ name: "slow-rounds", status: "stale" }));
    const { audit } = await getAgentDetail("slow-rounds");
    expect(audit.find((a) => a.action === "agent.alerted")?.detail).toMatchObject({ delivered: true });

    // It checks in again: healthy, the incident closes, and a later one would warn again.
    await getDb().agent.update({ where: { id: agent.id }, data: { lastSeenAt: new Date() } });
    expect(await watchAgents()).toMatchObject({ cleared: 1 });
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).alertedAt).toBeNull();
  });

  it("records a round refused for a revoked token on the agent at once, and notifies the owner", async () => {
    const agent = await agentWithToken("revoked-rounds", ["content.draft"]);
    await revokeAllForAgent("revoked-rounds");
    // Revoking is the owner's own doing: no warning until a round actually breaks on it.
    expect((await health("revoked-rounds")).warning).toBeNull();
    await expect(authenticateAgent(`Bearer ${agent.token}`, "req_refused")).rejects.toThrow(/revoked/);
    await expect(authenticateAgent(`Bearer ${agent.token}`, "req_retry")).rejects.toThrow(/revoked/);

    const failing = await health("revoked-rounds");
    expect(failing.status).toBe("failing");
    expect(failing.warning).toMatch(/^Its last round failed 0 min ago: The access token was revoked/);
    expect(failing.lastRefusal?.reason).toMatch(/revoked/);
    const { audit } = await getAgentDetail("revoked-rounds");
    expect(audit.filter((a) => a.action === "token.rejected")).toHaveLength(1); // retries within a minute: one row
    expect(titles()).toContain("Agent revoked-rounds needs attention (failing)");
  });

  it("says when an agent has no valid token left, and stays quiet about one that was never connected", async () => {
    const agent = await agentWithToken("expired-rounds", ["research.brief"]);
    await getDb().agentToken.updateMany({ where: { agentId: agent.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await health("expired-rounds")).toMatchObject({ status: "expired", tokenExpiresAt: null });

    await createAgent({ name: "fresh-agent", jobKinds: ["inbox.reply-draft"], pipelines: [] }, null);
    expect(await health("fresh-agent")).toMatchObject({ status: "never", warning: null, lastRoundAt: null });
  });
});
