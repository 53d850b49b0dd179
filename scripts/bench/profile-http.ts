// npm run profile:http [-- --seconds 4 --concurrency 8 --profile health]
//
// Where a request's milliseconds go at the HTTP edge. The built app runs under `next start` on a
// throw-away database; for each endpoint below, keep-alive callers send requests for --seconds
// and the app server's CPU (user + system, from /proc) is divided by the requests answered:
//   GET  /api/health                        public, one trivial query
//   GET  /api/openapi.json                  public, a cached document
//   GET  /api/agent/me                      an agent's bearer token
//   POST /api/agent/jobs/claim + /complete  an agent claiming and completing one job (CPU per job)
//   POST /api/pipelines/system.echo/runs    a signed-in person running a no-op pipeline
//   GET  /sign-in                           a page (server rendering)
// and a plain `node:http` server answering constant JSON in this machine's Node, as the floor.
// API requests are answered by their handlers without Next.js's router (lib/http/direct-dispatch.ts);
// with --router, the same endpoints again on a server with DIRECT_API=off, every request through it.
// With --tracing, the same endpoints again on a server exporting traces to a local OTLP sink.
// With --profile NAME, the app is then restarted under `--cpu-prof`, only NAME is driven, and the
// V8 profile's self time is printed by where the code comes from (Next.js, React, our code, Prisma,
// Node's internals, …) and by function, so the cost can be traced to its cause.
import { parseArgs } from "node:util";
import { positiveInt, startBenchmark } from "./options";

export const ENDPOINTS = ["health", "openapi", "agent-me", "claim-complete", "pipeline", "page"] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

const USAGE = `Usage: npm run profile:http -- [options]
  --seconds N       length of each endpoint's load window (default 4)
  --concurrency N   keep-alive callers (default 8)
  --warmup N        requests to each endpoint before it is measured (default 300)
  --only LIST       endpoints to measure, comma-separated (default all: ${ENDPOINTS.join(",")})
  --profile NAME    afterwards, a V8 CPU profile of the app under NAME's load, summarized
  --top N           functions shown in the profile summary (default 25)
  --keep-profile F  also save the V8 profile as F (open it in Chrome DevTools → Performance)
  --tracing         also measure every endpoint on a second server exporting OTLP traces (the
                    app's default sampling) to a local sink, and print both
  --router          also measure every endpoint on a server with DIRECT_API=off (each API request
                    through Next.js's router, as before lib/http/direct-dispatch.ts), and print both
  --env K=V,...     extra environment for the app servers (e.g. OTEL_TRACES_SAMPLE_RATIO=1)
  --log-level L     LOG_LEVEL of the server (default warn)`;

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "4" },
    concurrency: { type: "string", default: "8" },
    warmup: { type: "string", default: "300" },
    only: { type: "string", default: ENDPOINTS.join(",") },
    profile: { type: "string" },
    top: { type: "string", default: "25" },
    "keep-profile": { type: "string" },
    env: { type: "string", default: "" },
    tracing: { type: "boolean", default: false },
    router: { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
    worker: { type: "boolean", default: false },
    "http-skipped-because": { type: "string" },
  },
});

function endpointNames(value: string, flag: string): EndpointName[] {
  const names = value.split(",").filter(Boolean);
  const unknown = names.filter((name) => !ENDPOINTS.includes(name as EndpointName));
  if (unknown.length) {
    console.error(`--${flag}: unknown endpoint ${unknown.join(", ")} (one of ${ENDPOINTS.join(", ")})\n\n${USAGE}`);
    process.exit(2);
  }
  return names as EndpointName[];
}

function environment(value: string): Record<string, string> {
  const pairs = value.split(",").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] as const);
  if (pairs.some(([key]) => !key)) {
    console.error(`--env must be KEY=VALUE pairs separated by commas, not "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return Object.fromEntries(pairs);
}

const options = {
  seconds: positiveInt("seconds", args.seconds, USAGE),
  concurrency: positiveInt("concurrency", args.concurrency, USAGE),
  warmup: positiveInt("warmup", args.warmup, USAGE, 0),
  only: endpointNames(args.only, "only"),
  profile: args.profile === undefined ? null : endpointNames(args.profile, "profile")[0] ?? null,
  top: positiveInt("top", args.top, USAGE),
  keepProfile: args["keep-profile"] ?? null,
  env: environment(args.env),
  tracing: args.tracing,
  router: args.router,
  logLevel: args["log-level"],
  buildFailed: args["http-skipped-because"] ?? null,
};

const load = () => import("./http-profile").then((m) => () => m.runHttpProfile(options));
await startBenchmark({ usage: USAGE, help: args.help, httpSkipped: null, load });
