// npm run bench:jobs [-- --jobs 2000 --levels 1,8,32 --skip-http --skip-pgboss]
//
// Agent job throughput: for each number of concurrent agents, N jobs are claimed and completed
//   service  claimJobs + completeJob, in this process
//   HTTP     POST /api/agent/jobs/claim + /complete on the built app (`next start`) with an agent token
//   pg-boss  fetch + complete of the same number of jobs, same database, same concurrency, for comparison
// with jobs/s, p50/p99 latency of one claim+complete, CPU per job of the app and of PostgreSQL (where to
// look first when it is slow), and the number of jobs handed out twice (must be 0).
// It runs against a throw-away PostgreSQL (a fresh cluster and database, removed at the end).
import { parseArgs } from "node:util";
import { isWorker, runWorker, superviseWorker } from "./lifecycle";
import { buildOrSkipHttp } from "./options";

const USAGE = `Usage: npm run bench:jobs -- [options]
  --jobs N          jobs per concurrency level and path (default 2000)
  --levels L        concurrent agents, comma-separated (default 1,8,32)
  --skip-http       only the in-process and pg-boss figures (no build, no server)
  --skip-pgboss     leave out the pg-boss comparison
  --log-level L     LOG_LEVEL for this process and the server (default warn)`;

const { values: args } = parseArgs({
  options: {
    jobs: { type: "string", default: "2000" },
    levels: { type: "string", default: "1,8,32" },
    "skip-http": { type: "boolean", default: false },
    "skip-pgboss": { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
    worker: { type: "boolean", default: false },
    "http-skipped-because": { type: "string" },
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
  httpSkipped: args["http-skipped-because"] ?? (args["skip-http"] ? "--skip-http" : null),
  pgBoss: !args["skip-pgboss"],
  logLevel: args["log-level"],
};

if (args.help) {
  console.log(USAGE);
} else if (!isWorker(process.argv)) {
  superviseWorker(await buildOrSkipHttp(options.httpSkipped));
} else {
  const { runJobsBenchmark } = await import("./jobs-benchmark");
  runWorker(() => runJobsBenchmark(options));
}
