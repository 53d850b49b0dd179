// npm run bench:jobs [-- --jobs 2000 --levels 1,8,32 --bulk-size 500 --skip-http --skip-pgboss]
//
// Job creation through the agent-jobs.create pipeline, in this process: N runs of one job each (by
// 1 and by 4 concurrent callers), then runs of --bulk-size jobs each; jobs/s, p50/p99 per run, and
// PASS/FAIL against the targets (≥ 500 jobs/s one by one, ≥ 5,000 jobs/s in bulk, idle 2-core machine).
//
// Agent job throughput: for each number of concurrent agents, N jobs are claimed and completed
//   service  claimJobs + completeJob, in this process
//   HTTP     POST /api/agent/jobs/claim + /complete on the built app (`next start`) with an agent token
//   MCP      the same pair as tools/call jobs_claim + jobs_complete on /api/agent/mcp
//   floor    the same service calls behind plain node:http, in its own process (what the edge costs at best)
//   pg-boss  fetch + complete of the same number of jobs, same database, same concurrency, for comparison
// with jobs/s, p50/p99 latency of one claim+complete, CPU per job of the app and of PostgreSQL (where to
// look first when it is slow), and the number of jobs handed out twice (must be 0).
// It runs against a throw-away PostgreSQL (a fresh cluster and database, removed at the end).
import { parseArgs } from "node:util";
import { HTTP_BENCH_FLAGS, httpSkippedReason, startBenchmark } from "./options";

const USAGE = `Usage: npm run bench:jobs -- [options]
  --jobs N          jobs per concurrency level and path (default 2000)
  --levels L        concurrent agents, comma-separated (default 1,8,32)
  --bulk-size N     jobs per run when creating in bulk (default 500, at most 1000)
  --skip-http       only the in-process and pg-boss figures (no build, no server)
  --skip-pgboss     leave out the pg-boss comparison
  --log-level L     LOG_LEVEL for this process and the server (default warn)`;

const { values: args } = parseArgs({
  options: {
    jobs: { type: "string", default: "2000" },
    levels: { type: "string", default: "1,8,32" },
    "bulk-size": { type: "string", default: "500" },
    "skip-pgboss": { type: "boolean", default: false },
    ...HTTP_BENCH_FLAGS,
  },
});

function positiveInts(name: string, value: string): number[] {
  const numbers = value.split(",").map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--${name} must be positive whole numbers, not "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return numbers;
}

const options = {
  jobs: positiveInts("jobs", args.jobs)[0]!,
  levels: positiveInts("levels", args.levels),
  bulkSize: Math.min(positiveInts("bulk-size", args["bulk-size"])[0]!, 1000),
  httpSkipped: httpSkippedReason(args),
  pgBoss: !args["skip-pgboss"],
  logLevel: args["log-level"],
};

const load = () => import("./jobs-benchmark").then((m) => () => m.runJobsBenchmark(options));
await startBenchmark({ usage: USAGE, help: args.help, httpSkipped: options.httpSkipped, load });
