// npm run bench:pipelines [-- --runs 2000 --concurrency 16 --seconds 5 --skip-http]
//
// What the pipeline runner costs per run, for a pipeline that does nothing:
//   service  startRun + its completion, in this process (validate, insert the run, execute, close it)
//   HTTP     POST /api/pipelines/system.echo/runs on the built app (`next start`) with a session
//   plus runs per second with concurrent callers, and memory before and after.
// It runs against a throw-away PostgreSQL (a fresh cluster and database, removed at the end), never
// the app's own data. Figures, not assertions: compare them between changes on the same machine.
import { parseArgs } from "node:util";
import { HTTP_BENCH_FLAGS, httpSkippedReason, positiveInt, startBenchmark } from "./options";

const USAGE = `Usage: npm run bench:pipelines -- [options]
  --runs N          sequential runs through the service (default 2000)
  --http-runs N     sequential requests over HTTP (default 500)
  --warmup N        warm-up runs before measuring (default 200)
  --concurrency N   concurrent callers for the throughput figures (default 16)
  --seconds N       length of each throughput measurement (default 5)
  --skip-http       only the in-process figures (no build, no server)
  --log-level L     LOG_LEVEL for this process and the server (default warn)`;

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    "http-runs": { type: "string", default: "500" },
    warmup: { type: "string", default: "200" },
    concurrency: { type: "string", default: "16" },
    seconds: { type: "string", default: "5" },
    ...HTTP_BENCH_FLAGS,
  },
});

const options = {
  runs: positiveInt("runs", args.runs, USAGE),
  httpRuns: positiveInt("http-runs", args["http-runs"], USAGE),
  warmup: positiveInt("warmup", args.warmup, USAGE),
  concurrency: positiveInt("concurrency", args.concurrency, USAGE),
  seconds: positiveInt("seconds", args.seconds, USAGE),
  httpSkipped: httpSkippedReason(args),
  logLevel: args["log-level"],
};

const load = () => import("./run-benchmark").then((m) => () => m.runBenchmark(options));
await startBenchmark({ usage: USAGE, help: args.help, httpSkipped: options.httpSkipped, load });
