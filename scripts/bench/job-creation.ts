import { getPipeline } from "@/lib/pipelines/catalog";
import type { Actor } from "@/lib/pipelines/define";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { checkpoint, stopped } from "./lifecycle";
import { summarize, type Summary } from "./measure";

// Job creation through the agent-jobs.create pipeline (the only way jobs come in), in this process:
// one job per run from a few callers at a time, and runs of many jobs each. Each call is a whole
// run (validate, record the run, insert, close the run), as a schedule or webhook would make it.

export const CREATE_TARGETS = { oneByOne: 500, bulk: 5_000 } as const;

const PIPELINE = "agent-jobs.create";
const KIND = "research.brief";
const actor: Actor = { type: "system", label: "bench:jobs" };

export type CreationRow = {
  mode: "one by one" | "bulk";
  callers: number;
  perRun: number;
  jobs: number;
  seconds: number;
  /** Per run (one call of the pipeline), in ms. */
  summary: Summary;
  errors: number;
  /** CPU milliseconds per job of this process and of PostgreSQL. */
  appCpu: number | null;
  dbCpu: number | null;
};

/** Reads a CPU time counter in milliseconds; null where it cannot be read. */
export type CpuClocks = { app: () => number | null; db: () => number | null };

const spec = (n: number) => ({ kind: KIND, input: { topic: `Benchmark topic ${n}`, questions: ["What changed?", "Why?"] } });

async function createThroughPipeline(input: unknown, expected: number): Promise<void> {
  const { run } = await runPipeline({ name: PIPELINE, input, trigger: "api", actor });
  if (run.status !== "succeeded") throw new Error(`${PIPELINE} ${run.status}: ${JSON.stringify(run.error)}`);
  const output = run.output as { jobId?: string; jobs?: unknown[] };
  const made = output.jobs ? output.jobs.length : output.jobId ? 1 : 0;
  if (made !== expected) throw new Error(`${PIPELINE} returned ${made} jobs, not ${expected}`);
}

/** `callers` concurrent callers make `runs` runs of `perRun` jobs between them; each run's duration is a sample. */
async function measure(mode: CreationRow["mode"], callers: number, runs: number, perRun: number, clocks: CpuClocks): Promise<CreationRow> {
  getPipeline(PIPELINE);
  const cpu = { app: clocks.app(), db: clocks.db() };
  let next = 0;
  let errors = 0;
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < runs && !stopped.aborted) {
        const n = next++;
        const input = mode === "bulk" ? { jobs: Array.from({ length: perRun }, (_, i) => spec(n * perRun + i)) } : spec(n);
        const t0 = performance.now();
        try {
          await createThroughPipeline(input, perRun);
          samples.push(performance.now() - t0);
        } catch (error) {
          if (++errors > 20) throw error;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const jobs = samples.length * perRun;
  const perJob = (start: number | null, end: number | null) => (start === null || end === null || jobs === 0 ? null : (end - start) / jobs);
  return { mode, callers, perRun, jobs, seconds, summary: summarize(samples), errors, appCpu: perJob(cpu.app, clocks.app()), dbCpu: perJob(cpu.db, clocks.db()) };
}

export async function measureJobCreation(options: { jobs: number; bulkSize: number; clocks: CpuClocks }): Promise<CreationRow[]> {
  const { jobs, bulkSize, clocks } = options;
  // Warm-up: connections, prepared statements, the pipeline's schemas.
  await measure("one by one", 4, 200, 1, clocks);
  await measure("bulk", 1, 2, bulkSize, clocks);
  const rows: CreationRow[] = [];
  for (const callers of [1, 4]) {
    checkpoint(`Creating ${jobs} jobs through ${PIPELINE}, one per run, ${callers} caller(s) …`);
    rows.push(await measure("one by one", callers, jobs, 1, clocks));
  }
  const runs = Math.max(1, Math.round((jobs * 5) / bulkSize));
  checkpoint(`Creating ${runs * bulkSize} jobs through ${PIPELINE}, ${bulkSize} per run …`);
  rows.push(await measure("bulk", 1, runs, bulkSize, clocks));
  return rows;
}

/** PASS when the sequential one-by-one row and the bulk row reach the targets. */
export function creationVerdict(rows: CreationRow[]): string {
  const rate = (row: CreationRow | undefined) => (row && row.errors === 0 ? row.jobs / row.seconds : 0);
  const single = rate(rows.find((r) => r.mode === "one by one" && r.callers === 1));
  const bulk = rate(rows.find((r) => r.mode === "bulk"));
  const ok = single >= CREATE_TARGETS.oneByOne && bulk >= CREATE_TARGETS.bulk;
  return (
    `${ok ? "PASS" : "FAIL"}: job creation through ${PIPELINE}: ${single.toFixed(0)} jobs/s one by one (target ≥ ${CREATE_TARGETS.oneByOne}), ` +
    `${bulk.toFixed(0)} jobs/s in bulk (target ≥ ${CREATE_TARGETS.bulk}; targets are for an idle 2-core machine)`
  );
}
