import { getConfig } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { countAttemptsSince } from "@/lib/auth/sign-in-attempts.repository";
import { countUsers } from "@/lib/users/repository";
import { assessAgents, needsAttention } from "@/lib/agents/watch";
import { countEventsToHeal } from "@/lib/events/events.repository";
import { getRunsOverview, type RunsOverview } from "@/lib/overview/runs-overview";

export type Overview = {
  users: { total: number; active: number };
  signIns: { succeeded24h: number; failed24h: number };
  database: { version: string; sizeBytes: number; embedded: boolean; tables: number };
  recentSignIns: { id: string; email: string; method: string; success: boolean; reason: string | null; createdAt: Date }[];
  runs: RunsOverview;
  /** Agents that need attention (stale, no valid token, last round refused), with the warning. */
  agents: { total: number; attention: { id: string; name: string; status: string; warning: string }[] };
  /** Webhook events that failed: waiting for an automatic retry (with the next one due), or dead. */
  events: { waiting: number; dead: number; nextAttemptAt: Date | null };
};

export async function getOverview(): Promise<Overview> {
  const db = autocommit();
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  const [total, active, succeeded24h, failed24h, dbInfo, recentSignIns, runs, agentHealth, events] = await Promise.all([
    countUsers(db),
    countUsers(db, { disabledAt: null }),
    countAttemptsSince(db, dayAgo, true),
    countAttemptsSince(db, dayAgo, false),
    db.$queryRaw<{ version: string; size: bigint; tables: bigint }[]>`
      SELECT current_setting('server_version') AS version,
             pg_database_size(current_database()) AS size,
             (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public') AS tables`,
    db.signInAttempt.findMany({
      orderBy: { createdAt: "desc" },
      take: 6,
      select: { id: true, email: true, method: true, success: true, reason: true, createdAt: true },
    }),
    getRunsOverview(),
    assessAgents(db),
    countEventsToHeal(db),
  ]);
  const attention = [...agentHealth.entries()]
    .filter(([, health]) => needsAttention(health))
    .map(([id, health]) => ({ id, name: health.name, status: health.status, warning: health.warning ?? "" }));
  const info = dbInfo[0];
  return {
    users: { total, active },
    signIns: { succeeded24h, failed24h },
    database: {
      version: info?.version ?? "unknown",
      sizeBytes: Number(info?.size ?? 0),
      tables: Number(info?.tables ?? 0),
      embedded: getConfig().embeddedDatabase,
    },
    recentSignIns,
    runs,
    agents: { total: agentHealth.size, attention },
    events,
  };
}
