// npm run bench:observability [-- --blocks 4 --rounds 6 --seconds 2 --concurrency 8 --scrape-every 1]
//
// What monitoring costs over HTTP: the same built app under `next start` four times on one
// throw-away database, POST /api/pipelines/system.echo/runs with a session against each in turn:
//   off      no METRICS_TOKEN, no OTEL_EXPORTER_OTLP_ENDPOINT (the default)
//   metrics  METRICS_TOKEN set and /api/metrics scraped every --scrape-every seconds while measured
//   tracing  OTLP tracing to a local sink with the default sampling (2 traces/s, then 1 % of the rest)
//   both     metrics and tracing
// The configurations are measured interleaved in short windows, round after round, in a balanced
// order (each follows each other equally often, after a pause), and each is compared with `off` in the same round,
// seconds apart: a busy, shared machine slows the pair alike. Two servers of the same build still
// differ by a few per cent (an A/A run put the 4th started at −6 % req/s), as much as the effect
// measured, so the rounds run in blocks: each block starts four fresh servers, the configurations in
// a start order rotated per block, and the paired changes pool over all blocks. The table shows
// medians over the rounds. --calibrate runs the same with monitoring off on all four servers: what it
// prints is the method's own bias and noise, the floor under which a measured cost means nothing.
import { parseArgs } from "node:util";
import { positiveInt, startBenchmark } from "./options";

const USAGE = `Usage: npm run bench:observability -- [options]
  --blocks N         blocks of fresh servers, the configurations' start order rotated per block
                     (default 4: each configuration starts once in each place)
  --rounds N         measurement rounds per block, each configuration once per round (default 6;
                     a block's servers take about a minute to start and warm on 2 cores)
  --seconds N        length of each throughput window (default 2)
  --concurrency N    concurrent callers in a throughput window (default 8)
  --sequential N     sequential requests per configuration per round, for latency (default 25)
  --warmup N         sequential requests to each server before the rounds (default 300)
  --warmup-seconds N then --concurrency callers for N seconds (default 5; 0 = none): a block's
                     first rounds otherwise run at half the req/s of its last
  --scrape-every N   seconds between scrapes of /api/metrics when metrics are on (default 1;
                     Prometheus in monitoring/ scrapes every 15)
  --settle-ms N      pause before each configuration's turn, so what the window before left
                     behind does not count against it (default 500)
  --sample-ratio R   OTEL_TRACES_SAMPLE_RATIO for tracing, 0..1: the share of traces kept beyond
                     the per-second budget (default: unset, the app's default)
  --per-second N     OTEL_TRACES_PER_SECOND for tracing: traces kept each second before the ratio
                     applies (default: unset, the app's default; 0 = the ratio alone)
  --calibrate        A/A: all four servers with monitoring off, each labelled by the configuration
                     it stands in for; prints the method's noise floor instead of a verdict
  --log-level L      LOG_LEVEL of the servers (default warn)`;

const { values: args } = parseArgs({
  options: {
    blocks: { type: "string", default: "4" },
    rounds: { type: "string", default: "6" },
    seconds: { type: "string", default: "2" },
    concurrency: { type: "string", default: "8" },
    sequential: { type: "string", default: "25" },
    warmup: { type: "string", default: "300" },
    "warmup-seconds": { type: "string", default: "5" },
    "scrape-every": { type: "string", default: "1" },
    "settle-ms": { type: "string", default: "500" },
    "sample-ratio": { type: "string" },
    "per-second": { type: "string" },
    calibrate: { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
    // Set by the supervisor for its worker.
    worker: { type: "boolean", default: false },
    "http-skipped-because": { type: "string" },
  },
});

const ratio = args["sample-ratio"] === undefined ? null : Number(args["sample-ratio"]);
if (ratio !== null && !(ratio >= 0 && ratio <= 1)) {
  console.error(`--sample-ratio must be between 0 and 1, not "${args["sample-ratio"]}"\n\n${USAGE}`);
  process.exit(2);
}

const options = {
  blocks: positiveInt("blocks", args.blocks, USAGE),
  rounds: positiveInt("rounds", args.rounds, USAGE),
  seconds: positiveInt("seconds", args.seconds, USAGE),
  concurrency: positiveInt("concurrency", args.concurrency, USAGE),
  sequential: positiveInt("sequential", args.sequential, USAGE),
  warmup: positiveInt("warmup", args.warmup, USAGE, 0),
  warmupSeconds: positiveInt("warmup-seconds", args["warmup-seconds"], USAGE, 0),
  scrapeEvery: positiveInt("scrape-every", args["scrape-every"], USAGE),
  settleMs: positiveInt("settle-ms", args["settle-ms"], USAGE, 0),
  sampleRatio: ratio,
  tracesPerSecond: args["per-second"] === undefined ? null : positiveInt("per-second", args["per-second"], USAGE, 0),
  calibrate: args.calibrate,
  logLevel: args["log-level"],
  buildFailed: args["http-skipped-because"] ?? null,
};

const load = () => import("./observability-benchmark").then((m) => () => m.runObservabilityBenchmark(options));
await startBenchmark({ usage: USAGE, help: args.help, httpSkipped: null, load });
