import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/service";
import { createTestDatabase, freePort, startTestCluster } from "../../tests/setup/database";
import { signIn, startAppServer, type AppServer } from "./app-server";
import { checkpoint, onCleanup, stopped } from "./lifecycle";
import { formatTable, measureThroughput, ms, summarize, timeSequential, type Summary } from "./measure";

// The monitoring overhead benchmark itself (see observability.ts for what it measures).

export type ObservabilityBenchOptions = {
  rounds: number;
  seconds: number;
  concurrency: number;
  sequential: number;
  sampleRatio: number;
  logLevel: string;
  buildFailed: string | null;
};

type Mode = { name: "off" | "metrics" | "tracing"; env: Record<string, string>; scrape: boolean };
type Target = Mode & { server: AppServer; cookie: string; perSecond: number[]; latency: number[]; failed: number };

const RUN_PATH = "/api/pipelines/system.echo/runs";
const say = (line: string) => console.error(`[bench] ${line}`);

/** An OTLP/HTTP endpoint that takes the exports and counts them (what a collector would receive). */
async function startOtlpSink(): Promise<{ url: string; requests: () => number; bytes: () => number; close: () => Promise<void> }> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => (bytes += chunk.length));
    req.on("end", () => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Scrapes /api/metrics every second until stopped (Prometheus's work, at 15× its usual rate). */
function startScraping(target: Target, token: string): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running && !stopped.aborted) {
      const res = await fetch(`${target.server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /api/metrics answered ${res.status}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function runObservabilityBenchmark(options: ObservabilityBenchOptions): Promise<void> {
  if (options.buildFailed) throw new Error(options.buildFailed);
  const scratch = await mkdtemp(path.join(os.tmpdir(), "pa-bench-"));
  await chmod(scratch, 0o755);
  onCleanup(`remove ${scratch}`, () => rm(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  process.env.TMPDIR = scratch;

  checkpoint("Starting a throw-away PostgreSQL …");
  const cluster = await startTestCluster();
  onCleanup("stop the PostgreSQL cluster", () => cluster.stop());
  const database = await createTestDatabase(cluster);
  onCleanup("drop the benchmark database", () => database.drop());
  process.env.DATABASE_URL = database.url;
  process.env.LOG_LEVEL = options.logLevel;
  resetConfigForTests();
  onCleanup("disconnect from the database", () => disconnectDb());
  const email = "bench@bench.test";
  const password = `bench-${randomBytes(12).toString("base64url")}`;
  await createUser({ email, password, role: "owner", name: "Benchmark" });

  const sink = await startOtlpSink();
  onCleanup("stop the OTLP sink", () => sink.close());
  const token = randomBytes(24).toString("hex");
  const modes: Mode[] = [
    { name: "off", env: {}, scrape: false },
    { name: "metrics", env: { METRICS_TOKEN: token }, scrape: true },
    { name: "tracing", env: { METRICS_TOKEN: token, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLE_RATIO: String(options.sampleRatio) }, scrape: true },
  ];

  const targets: Target[] = [];
  for (const mode of modes) {
    checkpoint(`Starting the app (${mode.name}) …`);
    const dataDir = path.join(scratch, `data-${mode.name}`);
    await mkdir(dataDir, { recursive: true });
    const server = startAppServer({ port: await freePort(), databaseUrl: database.url, dataDir, logLevel: options.logLevel, env: mode.env });
    onCleanup(`stop the app server (${mode.name})`, () => server.stop());
    await server.ready(stopped);
    targets.push({ ...mode, server, cookie: await signIn(server.baseUrl, email, password), perSecond: [], latency: [], failed: 0 });
  }

  const post = (target: Target) => async (): Promise<boolean> => {
    const res = await fetch(`${target.server.baseUrl}${RUN_PATH}`, { method: "POST", headers: { cookie: target.cookie, "content-type": "application/json" }, body: '{"input":{}}' });
    await res.arrayBuffer();
    return res.status === 200;
  };
  const mustPost = (target: Target) => async () => {
    if (!(await post(target)())) throw new Error(`POST ${RUN_PATH} failed on the ${target.name} server`);
  };

  checkpoint("Warming up each server (100 requests) …");
  for (const target of targets) for (let i = 0; i < 100 && !stopped.aborted; i++) await mustPost(target)();

  const loadBefore = os.loadavg();
  for (let round = 0; round < options.rounds && !stopped.aborted; round++) {
    // Rotated each round, so no mode always follows the same one.
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) {
      checkpoint(`Round ${round + 1}/${options.rounds}: ${target.name} …`);
      const stopScraping = target.scrape ? startScraping(target, token) : async () => undefined;
      try {
        target.latency.push(...(await timeSequential(options.sequential, mustPost(target), stopped)));
        const result = await measureThroughput(options.concurrency, options.seconds, post(target), stopped);
        target.perSecond.push(result.perSecond);
        target.failed += result.failed;
      } finally {
        await stopScraping();
      }
    }
  }
  checkpoint();
  const loadAfter = os.loadavg();

  const baseline = median(targets[0]!.perSecond);
  const rows = targets.map((target) => {
    const latency: Summary = summarize(target.latency);
    const mid = median(target.perSecond);
    const change = target.name === "off" ? "–" : `${(((mid - baseline) / baseline) * 100).toFixed(1)}%`;
    return [target.name, ...target.perSecond.map((v) => v.toFixed(0)), mid.toFixed(0), change, ms(latency.p50), ms(latency.p95), String(target.failed)];
  });
  console.log(`
Monitoring overhead — Node ${process.version}, ${os.cpus().length} CPUs, POST ${RUN_PATH} (system.echo) with a session,
${options.concurrency} concurrent callers × ${options.seconds} s per window, ${options.rounds} rounds interleaved; latency from
${options.sequential} sequential requests per mode per round. Tracing samples ${options.sampleRatio * 100}% of traces.
Load average before/after: ${loadBefore.map((l) => l.toFixed(1)).join(" ")} / ${loadAfter.map((l) => l.toFixed(1)).join(" ")} (other work on the machine counts).

${formatTable(
  ["mode", ...targets[0]!.perSecond.map((_, i) => `r${i + 1} req/s`), "median", "vs off", "p50 ms", "p95 ms", "failed"],
  rows,
)}

OTLP sink: ${sink.requests()} export requests, ${(sink.bytes() / 1024 / 1024).toFixed(1)} MiB received.`);
  say("done");
}
