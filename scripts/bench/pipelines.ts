// npm run bench:pipelines [-- --runs 2000 --concurrency 16 --seconds 5 --skip-http]
//
// What the pipeline runner costs per run, for a pipeline that does nothing:
//   service  startRun + its completion, in this process (validate, insert the run, execute, close it)
//   HTTP     POST /api/pipelines/system.echo/runs on the built app (`next start`) with a session
//   plus runs per second with concurrent callers, and memory before and after.
// It runs against a throw-away PostgreSQL (a fresh cluster and database, removed at the end), never
// the app's own data. Figures, not assertions: compare them between changes on the same machine.
import { parseArgs } from "node:util";
import { isWorker, runWorker, superviseWorker } from "./lifecycle";
import { buildOrSkipHttp, positiveInt } from "./options";

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
    "skip-http": { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
    // Set by the supervisor for its worker.
    worker: { type: "boolean", default: false },
    "http-skipped-because": { type: "string" },
  },
});

const options = {
  runs: positiveInt("runs", args.runs, USAGE),
  httpRuns: positiveInt("http-runs", args["http-runs"], USAGE),
  warmup: positiveInt("warmup", args.warmup, USAGE),
  concurrency: positiveInt("concurrency", args.concurrency, USAGE),
  seconds: positiveInt("seconds", args.seconds, USAGE),
  httpSkipped: args["http-skipped-because"] ?? (args["skip-http"] ? "--skip-http" : null),
  logLevel: args["log-level"],
};

if (args.help) {
  console.log(USAGE);
} else if (!isWorker(process.argv)) {
  // The build runs here, in the terminal's process group, so that Ctrl-C stops it directly.
  superviseWorker(await buildOrSkipHttp(options.httpSkipped));
} else {
  // Loaded only in the worker: the supervisor stays small and quick to answer signals.
  const { runBenchmark } = await import("./run-benchmark");
  runWorker(() => runBenchmark(options));
}
