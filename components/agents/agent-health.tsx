import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatRelative } from "@/components/ui/format";
import type { AgentHealth, AgentHealthStatus } from "@/lib/agents/watch";

// How an agent is doing, the same everywhere: a badge, and the warning sentence when it needs attention.

const TONE: Record<AgentHealthStatus, BadgeTone> = {
  ok: "green",
  idle: "gray",
  never: "gray",
  stale: "amber",
  expired: "red",
  failing: "red",
  disabled: "gray",
};

const LABEL: Record<AgentHealthStatus, string> = {
  ok: "checking in",
  idle: "idle",
  never: "never seen",
  stale: "stale",
  expired: "token expired",
  failing: "last round failed",
  disabled: "disabled",
};

export function AgentHealthBadge({ health }: { health: AgentHealth }) {
  return <Badge tone={TONE[health.status]}>{LABEL[health.status]}</Badge>;
}

export function AgentWarning({ health }: { health: AgentHealth }) {
  if (!health.warning) return null;
  return (
    <p role="alert" className="mt-1 text-xs text-rose-700" data-agent-warning={health.status}>
      {health.warning}
    </p>
  );
}

/** Last round, last claim, token expiry and interval as a definition list. */
export function AgentHealthFacts({ health }: { health: AgentHealth }) {
  const facts: [string, string][] = [
    ["Last round", formatRelative(health.lastRoundAt)],
    ["Last claim", formatRelative(health.lastClaimAt)],
    ["Token expires", health.tokenExpiresAt ? formatRelative(health.tokenExpiresAt) : "no valid token"],
    ["Jobs waiting", String(health.waitingJobs)],
    ["Expected check-in", `every ${health.checkInMinutes} min`],
    ["Last refusal", health.lastRefusal ? `${formatRelative(health.lastRefusal.at)}: ${health.lastRefusal.reason}` : "none"],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-3 px-5 py-4 text-sm sm:grid-cols-3">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-0.5 text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
