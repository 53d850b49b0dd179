import type { Gauge } from "prom-client";
import { getPool } from "@/lib/db/client";
import { getLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";

// The gauges that describe state rather than activity, read at scrape time with a few aggregate
// queries (each served by an index on status), so they are true whichever instance is scraped and
// right after a restart. One scrape costs five small queries, run side by side.

type Row = Record<string, unknown>;

const JOBS_SQL = `
  SELECT kind, status::text AS status, count(*)::int AS n,
         COALESCE(EXTRACT(EPOCH FROM now() - min(available_at) FILTER (WHERE available_at <= now())), 0)::float8 AS oldest
  FROM agent_jobs WHERE status IN ('queued', 'claimed', 'failed', 'dead') GROUP BY kind, status`;

const EVENTS_SQL = `
  SELECT s.name AS source, e.status::text AS status, count(*)::int AS n
  FROM webhook_events e JOIN webhook_sources s ON s.id = e.source_id
  WHERE e.status IN ('received', 'dispatched', 'failed', 'dead') GROUP BY s.name, e.status`;

const REVIEW_SQL = `SELECT count(*)::int AS n FROM triaged_messages WHERE status = 'review'`;

const AGENTS_SQL = `
  SELECT a.name,
         EXTRACT(EPOCH FROM now() - COALESCE(a.last_seen_at, a.created_at))::float8 AS age,
         (SELECT count(*)::int FROM agent_jobs j
           WHERE j.status = 'queued' AND j.available_at <= now() AND j.kind = ANY(a.job_kinds)) AS waiting
  FROM agents a WHERE a.disabled_at IS NULL`;

// By pipeline, not by schedule (see metrics.ts): the most overdue schedule and how many are, so
// one series per pipeline says where to look and the Schedules page says which schedule it is.
const SCHEDULES_SQL = `
  SELECT pipeline,
         GREATEST(0, max(EXTRACT(EPOCH FROM now() - next_run_at)))::float8 AS overdue,
         count(*) FILTER (WHERE next_run_at < now())::int AS n
  FROM schedules WHERE enabled AND next_run_at IS NOT NULL GROUP BY pipeline`;

/** Replaces a gauge's series with `rows` (a label that disappeared must not keep its last value). */
function fill(gauge: Gauge, rows: { labels: Record<string, string>; value: number }[]): void {
  gauge.reset();
  for (const row of rows) gauge.set(row.labels, row.value);
}

function sumBy(rows: Row[], key: string, statuses: string[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const label = String(row[key]);
    if (!totals.has(label)) totals.set(label, 0);
    if (statuses.includes(String(row.status))) totals.set(label, totals.get(label)! + Number(row.n));
  }
  return totals;
}

const asRows = (totals: Map<string, number>, label: string) =>
  [...totals].map(([name, value]) => ({ labels: { [label]: name }, value }));

export async function collectDatabaseGauges(): Promise<void> {
  const g = metrics().db;
  const pool = getPool();
  try {
    const read = (sql: string) => pool.query<Row>(sql).then((result) => result.rows);
    const [jobs, events, review, agents, schedules] = await Promise.all([
      read(JOBS_SQL), read(EVENTS_SQL), read(REVIEW_SQL), read(AGENTS_SQL), read(SCHEDULES_SQL),
    ]);
    fill(g.queueDepth, asRows(sumBy(jobs, "kind", ["queued"]), "kind"));
    fill(g.claimed, asRows(sumBy(jobs, "kind", ["claimed"]), "kind"));
    fill(g.dead, asRows(sumBy(jobs, "kind", ["failed", "dead"]), "kind"));
    const oldest = new Map<string, number>([...sumBy(jobs, "kind", ["queued"]).keys()].map((kind) => [kind, 0]));
    for (const row of jobs) if (row.status === "queued") oldest.set(String(row.kind), Number(row.oldest));
    fill(g.oldestAge, asRows(oldest, "kind"));
    fill(g.eventsWaiting, asRows(sumBy(events, "source", ["received", "dispatched"]), "source"));
    fill(g.eventsFailed, asRows(sumBy(events, "source", ["failed"]), "source"));
    fill(g.eventsDead, asRows(sumBy(events, "source", ["dead"]), "source"));
    g.reviewQueue.set(Number(review[0]?.n ?? 0));
    fill(g.agentLastSeen, agents.map((row) => ({ labels: { agent: String(row.name) }, value: Number(row.age) })));
    fill(g.agentWaiting, agents.map((row) => ({ labels: { agent: String(row.name) }, value: Number(row.waiting) })));
    fill(g.scheduleOverdue, schedules.map((row) => ({ labels: { pipeline: String(row.pipeline) }, value: Number(row.overdue) })));
    fill(g.schedulesOverdue, schedules.map((row) => ({ labels: { pipeline: String(row.pipeline) }, value: Number(row.n) })));
    g.up.set(1);
  } catch (error) {
    // The scrape still answers (process and activity series), saying the database part is missing.
    g.up.set(0);
    getLogger({ component: "metrics" }).warn({ err: error }, "could not read the database gauges");
  }
}
