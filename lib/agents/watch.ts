import { getConfig } from "@/lib/config";
import { autocommit, type Tx } from "@/lib/db/transaction";
import { getLogger } from "@/lib/logger";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import * as audit from "@/lib/agents/audit.repository";
import { activeTokenWhere } from "@/lib/agents/tokens.repository";

// Watching the agents: an agent that silently stopped working looks exactly like one with nothing
// to do, unless the platform notices. For each agent: its last round (the last request it made
// with a valid token), its last claim, when its tokens run out, and a warning when it has work
// waiting but has not checked in for longer than its expected interval, when it has no valid
// token left, or when its last request was refused (a revoked or expired token). The owner is
// notified once per incident through notify.send; the warning clears when the agent is healthy.

export type AgentHealthStatus = "ok" | "idle" | "never" | "stale" | "expired" | "failing" | "disabled";

export type AgentHealth = {
  status: AgentHealthStatus;
  /** Set for stale, expired and failing: one sentence for the owner. */
  warning: string | null;
  lastRoundAt: string | null;
  lastClaimAt: string | null;
  /** When the agent's last valid token (access or refresh) runs out; null when it has none. */
  tokenExpiresAt: string | null;
  waitingJobs: number;
  checkInMinutes: number;
  lastRefusal: { at: string; reason: string } | null;
};

type WatchedAgent = {
  id: string;
  name: string;
  jobKinds: string[];
  disabledAt: Date | null;
  lastSeenAt: Date | null;
  createdAt: Date;
  checkInMinutes: number;
  lastRefusedAt: Date | null;
  lastRefusal: string | null;
};

const WARNING_STATUSES: ReadonlySet<AgentHealthStatus> = new Set(["stale", "expired", "failing"]);

export function needsAttention(health: AgentHealth): boolean {
  return WARNING_STATUSES.has(health.status);
}

function minutesAgo(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/** The health of one agent from its row and the facts gathered for it. Pure, so it is easy to test. */
export function assessAgent(
  agent: WatchedAgent,
  facts: { lastClaimAt: Date | null; tokenExpiresAt: Date | null; hadTokens: boolean; waitingJobs: number },
  now: Date,
): AgentHealth {
  const base = {
    lastRoundAt: agent.lastSeenAt?.toISOString() ?? null,
    lastClaimAt: facts.lastClaimAt?.toISOString() ?? null,
    tokenExpiresAt: facts.tokenExpiresAt?.toISOString() ?? null,
    waitingJobs: facts.waitingJobs,
    checkInMinutes: agent.checkInMinutes,
    lastRefusal: agent.lastRefusedAt ? { at: agent.lastRefusedAt.toISOString(), reason: agent.lastRefusal ?? "refused" } : null,
  };
  const result = (status: AgentHealthStatus, warning: string | null = null): AgentHealth => ({ ...base, status, warning });

  if (agent.disabledAt) return result("disabled");
  if (agent.lastRefusedAt && (!agent.lastSeenAt || agent.lastRefusedAt > agent.lastSeenAt)) {
    return result("failing", `Its last round failed ${minutesAgo(agent.lastRefusedAt, now)} ago: ${agent.lastRefusal ?? "the request was refused"}.`);
  }
  if (facts.hadTokens && (!facts.tokenExpiresAt || facts.tokenExpiresAt <= now)) {
    return result("expired", "It has no valid token left: it cannot connect until it exchanges its client credentials again.");
  }
  const since = agent.lastSeenAt ?? agent.createdAt;
  const overdue = now.getTime() - since.getTime() > agent.checkInMinutes * 60_000;
  if (facts.waitingJobs > 0 && overdue) {
    const seen = agent.lastSeenAt ? `has not checked in for ${minutesAgo(agent.lastSeenAt, now)}` : "has never checked in";
    const jobs = facts.waitingJobs === 1 ? "1 job is" : `${facts.waitingJobs} jobs are`;
    return result("stale", `It ${seen} (expected every ${agent.checkInMinutes} min) while ${jobs} waiting.`);
  }
  if (!agent.lastSeenAt) return result("never");
  return result(overdue ? "idle" : "ok");
}

const watchedSelect = {
  id: true,
  name: true,
  jobKinds: true,
  disabledAt: true,
  lastSeenAt: true,
  createdAt: true,
  checkInMinutes: true,
  lastRefusedAt: true,
  lastRefusal: true,
  alertedAt: true,
} as const;

/** The health of every agent (or of the given ones), keyed by agent id. A handful of grouped queries. */
export async function assessAgents(tx: Tx, now = new Date(), ids?: string[]): Promise<Map<string, AgentHealth & { name: string; alertedAt: Date | null }>> {
  const where = ids ? { id: { in: ids } } : {};
  const agents = await tx.agent.findMany({ where, select: watchedSelect });
  if (agents.length === 0) return new Map();
  const agentIds = agents.map((a) => a.id);
  const [claims, live, ever, waiting] = await Promise.all([
    tx.agentJobEvent.groupBy({ by: ["agentId"], where: { type: "claimed", agentId: { in: agentIds } }, _max: { createdAt: true } }),
    tx.agentToken.groupBy({ by: ["agentId"], where: { agentId: { in: agentIds }, ...activeTokenWhere(now) }, _max: { expiresAt: true } }),
    // Tokens the owner revoked do not count: revoking is deliberate, and the next round it breaks
    // is reported as failed. Only tokens that ran out on their own make an agent "expired".
    tx.agentToken.groupBy({ by: ["agentId"], where: { agentId: { in: agentIds }, revokedAt: null }, _count: { _all: true } }),
    tx.agentJob.groupBy({ by: ["kind"], where: { status: "queued", availableAt: { lte: now } }, _count: { _all: true } }),
  ]);
  const lastClaim = new Map(claims.map((c) => [c.agentId, c._max.createdAt]));
  const liveUntil = new Map(live.map((t) => [t.agentId, t._max.expiresAt]));
  const hadTokens = new Set(ever.filter((t) => t._count._all > 0).map((t) => t.agentId));
  const waitingByKind = new Map(waiting.map((w) => [w.kind, w._count._all]));

  return new Map(
    agents.map((agent) => {
      const waitingJobs = agent.jobKinds.reduce((sum, kind) => sum + (waitingByKind.get(kind) ?? 0), 0);
      const health = assessAgent(
        agent,
        { lastClaimAt: lastClaim.get(agent.id) ?? null, tokenExpiresAt: liveUntil.get(agent.id) ?? null, hadTokens: hadTokens.has(agent.id), waitingJobs },
        now,
      );
      return [agent.id, { ...health, name: agent.name, alertedAt: agent.alertedAt }];
    }),
  );
}

export async function getAgentHealth(agentId: string, now = new Date()): Promise<AgentHealth | null> {
  return (await assessAgents(autocommit(), now, [agentId])).get(agentId) ?? null;
}

/**
 * A request came in with one of the agent's tokens that no longer works. Remembered on the agent
 * (so its page says the last round failed, and why) and checked at once, so the owner hears about
 * a revoked agent within seconds rather than at the next tick.
 */
export async function recordRefusedRound(agentId: string, tokenId: string, reason: string, requestId: string): Promise<void> {
  const db = autocommit();
  const now = new Date();
  const minuteAgo = new Date(now.getTime() - 60_000);
  // Clients retry: one audit row per token per minute is enough to see what happened.
  const { count } = await db.agent.updateMany({
    where: { id: agentId, OR: [{ lastRefusedAt: null }, { lastRefusedAt: { lt: minuteAgo } }, { lastRefusal: { not: reason } }] },
    data: { lastRefusedAt: now, lastRefusal: reason },
  });
  if (count === 0) return;
  await audit.recordAudit(db, { agentId, tokenId, action: "token.rejected", allowed: false, detail: { reason }, requestId });
  await watchAgents(now, [agentId]);
}

async function notifyOwner(title: string, message: string): Promise<{ delivered: boolean; runId?: string; reason?: string }> {
  if (!getConfig().NOTIFY_WEBHOOK_URL) return { delivered: false, reason: "NOTIFY_WEBHOOK_URL is not set" };
  const { run } = await runPipeline({
    name: "notify.send",
    input: { title, message, priority: "high" },
    trigger: "event",
    actor: { type: "system", label: "agent-watch" },
    waitMs: 20_000,
  });
  return { delivered: run.status === "succeeded", runId: run.id, ...(run.status === "succeeded" ? {} : { reason: `notify.send ${run.status}` }) };
}

/**
 * Warns the owner about agents that need attention, once per incident: the agent row is claimed
 * with a conditional update (alerted_at still empty), so concurrent checks send one notification.
 * Agents that are healthy again get alerted_at cleared. Runs every minute from the maintenance tick.
 */
export async function watchAgents(now = new Date(), ids?: string[]): Promise<{ alerted: number; cleared: number }> {
  const db = autocommit();
  const health = await assessAgents(db, now, ids);
  let alerted = 0;
  let cleared = 0;
  for (const [agentId, agent] of health) {
    if (!needsAttention(agent)) {
      if (agent.alertedAt) cleared += (await db.agent.updateMany({ where: { id: agentId, alertedAt: { not: null } }, data: { alertedAt: null } })).count;
      continue;
    }
    if (agent.alertedAt) continue;
    const claimed = await db.agent.updateMany({ where: { id: agentId, alertedAt: null }, data: { alertedAt: now } });
    if (claimed.count === 0) continue;
    alerted++;
    const title = `Agent ${agent.name} needs attention (${agent.status})`;
    const outcome = await notifyOwner(title, `${agent.warning ?? ""} See the Agents page in Personal Automations.`).catch((error: unknown) => ({
      delivered: false,
      reason: error instanceof Error ? error.message : "notification failed",
    }));
    await audit.recordAudit(db, { agentId, action: "agent.alerted", allowed: true, target: agent.status, detail: { warning: agent.warning, ...outcome } });
    getLogger({ component: "agent-watch" }).warn({ agentId, status: agent.status, delivered: outcome.delivered }, "agent needs attention");
  }
  return { alerted, cleared };
}
