import { autocommit } from "@/lib/db/transaction";
import { listRuns } from "@/lib/pipelines/list-runs";
import { RUN_STATUSES, type RunDto } from "@/lib/pipelines/run-dto";
import { countRunsByStatus, countRunsPerDay } from "@/lib/pipelines/runs.repository";
import { countOpenRuns, countRunsPerPipeline, findLastRun, type LastRun } from "@/lib/overview/runs.queries";

// Run figures for the overview and the pipeline catalogue.

export const CHART_DAYS = 14;
const DAY_MS = 86_400_000;

type RunStatus = RunDto["status"];

export type RunsPerDay = { day: string } & Record<RunStatus, number>;

export type RunsOverview = {
  last24h: Record<RunStatus, number> & { total: number; finished: number; failureRate: number | null };
  openNow: number;
  /** One entry per UTC day, oldest first, the last one today; days without runs are zeros. */
  perDay: RunsPerDay[];
  recent: RunDto[];
};

function zeros(): Record<RunStatus, number> {
  return Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
}

export function utcDayStart(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** Spreads `{day, status, count}` rows over the `days` UTC days ending today. */
export function fillRunsPerDay(rows: { day: string; status: RunStatus; count: number }[], now: number, days = CHART_DAYS): RunsPerDay[] {
  const first = utcDayStart(now) - (days - 1) * DAY_MS;
  const out: RunsPerDay[] = Array.from({ length: days }, (_, i) => ({
    day: new Date(first + i * DAY_MS).toISOString().slice(0, 10),
    ...zeros(),
  }));
  const byDay = new Map(out.map((d) => [d.day, d]));
  for (const row of rows) {
    const bucket = byDay.get(row.day);
    if (bucket) bucket[row.status] += row.count;
  }
  return out;
}

export async function getRunsOverview(now = new Date()): Promise<RunsOverview> {
  const db = autocommit();
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const chartStart = new Date(utcDayStart(now.getTime()) - (CHART_DAYS - 1) * DAY_MS);
  const [byStatus, daily, openNow, recent] = await Promise.all([
    countRunsByStatus(db, dayAgo),
    countRunsPerDay(db, chartStart),
    countOpenRuns(db),
    listRuns({ limit: 6 }),
  ]);
  const counts = zeros();
  for (const row of byStatus) counts[row.status] = row._count._all;
  const total = RUN_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  return {
    last24h: { ...counts, total, finished, failureRate: finished > 0 ? counts.failed / finished : null },
    openNow,
    perDay: fillRunsPerDay(daily, now.getTime()),
    recent: recent.runs,
  };
}

export type PipelineRunStats = { runs7d: number; lastRun: LastRun | null };

export async function getPipelineRunStats(names: readonly string[], now = new Date()): Promise<Map<string, PipelineRunStats>> {
  const db = autocommit();
  const [counts, lastRuns] = await Promise.all([
    countRunsPerPipeline(db, new Date(now.getTime() - 7 * DAY_MS)),
    Promise.all(names.map((name) => findLastRun(db, name))),
  ]);
  return new Map(names.map((name, i) => [name, { runs7d: counts.get(name) ?? 0, lastRun: lastRuns[i] ?? null }]));
}
