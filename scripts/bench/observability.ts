// npm run bench:observability [-- --rounds 4 --seconds 5 --concurrency 8 --sample-ratio 1]
//
// What monitoring costs over HTTP: the same built app under `next start` three times on one
// throw-away database, POST /api/pipelines/system.echo/runs with a session against each in turn:
//   off       no METRICS_TOKEN, no OTEL_EXPORTER_OTLP_ENDPOINT (the default)
//   metrics   METRICS_TOKEN set and /api/metrics scraped every second while it is measured
//   tracing   metrics as above, plus OTLP tracing to a local sink at --sample-ratio
// The modes are measured interleaved (off, metrics, tracing, then rotated) round after round, so a
// busy, shared machine slows them alike; the table shows every round and the median.
import { parseArgs } from "node:util";
import { positiveInt, startBenchmark } from "./options";

const USAGE = `Usage: npm run bench:observability -- [options]
  --rounds N        measurement rounds, each mode once per round (default 4)
  --seconds N       length of each throughput window (default 5)
  --concurrency N   concurrent callers (default 8)
  --sequential N    sequential requests per mode per round, for latency (default 100)
  --sample-ratio R  OTEL_TRACES_SAMPLE_RATIO of the tracing mode, 0..1 (default 1)
  --log-level L     LOG_LEVEL of the servers (default warn)`;

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "8" },
    sequential: { type: "string", default: "100" },
    "sample-ratio": { type: "string", default: "1" },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
    worker: { type: "boolean", default: false },
    "http-skipped-because": { type: "string" },
  },
});

const ratio = Number(args["sample-ratio"]);
if (!(ratio >= 0 && ratio <= 1)) {
  console.error(`--sample-ratio must be between 0 and 1, not "${args["sample-ratio"]}"\n\n${USAGE}`);
  process.exit(2);
}

const options = {
  rounds: positiveInt("rounds", args.rounds, USAGE),
  seconds: positiveInt("seconds", args.seconds, USAGE),
  concurrency: positiveInt("concurrency", args.concurrency, USAGE),
  sequential: positiveInt("sequential", args.sequential, USAGE),
  sampleRatio: ratio,
  logLevel: args["log-level"],
  buildFailed: args["http-skipped-because"] ?? null,
};

const load = () => import("./observability-benchmark").then((m) => () => m.runObservabilityBenchmark(options));
await startBenchmark({ usage: USAGE, help: args.help, httpSkipped: null, load });
