import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { freePort } from "../../tests/setup/database";
import { signIn, startAppServer, type AppServer } from "./app-server";
import { createBenchOwner, startBenchDatabase } from "./bench-database";
import { checkpoint, onCleanup, stopped } from "./lifecycle";
import { formatTable, measureThroughput, median, ms, processTreeCpu, processTreeRss, summarize, timeSequential } from "./measure";

// The monitoring overhead benchmark itself (see observability.ts for what it measures).

export type ObservabilityBenchOptions = {
  rounds: number;
  seconds: number;
  concurrency: number;
  sequential: number;
  warmup: number;
  scrapeEvery: number;
  /** OTEL_TRACES_SAMPLE_RATIO of the tracing configurations; null leaves the app's default. */
  sampleRatio: number | null;
  /** OTEL_TRACES_PER_SECOND of the tracing configurations; null leaves the app's default. */
  tracesPerSecond: number | null;
  logLevel: string;
  buildFailed: string | null;
};

const TARGET_COST_PERCENT = 5;
const RUN_PATH = "/api/pipelines/system.echo/runs";

type Config = { name: "off" | "metrics" | "tracing" | "both"; metrics: boolean; tracing: boolean };
const CONFIGS: Config[] = [
  { name: "off", metrics: false, tracing: false },
  { name: "metrics", metrics: true, tracing: false },
  { name: "tracing", metrics: false, tracing: true },
  { name: "both", metrics: true, tracing: true },
];

/** One round's figures for one configuration. */
type Round = { perSecond: number; cpuPerRequest: number | null; rss: number | null; failed: number; scrapes: number };
type Target = Config & { server: AppServer; cookie: string; rounds: Round[]; latency: number[] };

type OtlpExport = { resourceSpans?: { scopeSpans?: { spans?: { parentSpanId?: string }[] }[] }[] };

/** Traces that start in an export: its spans without a parent. */
function rootSpansOf(body: string): number {
  try {
    const spans = ((JSON.parse(body) as OtlpExport).resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? []));
    return spans.filter((span) => !span.parentSpanId).length;
  } catch {
    return 0;
  }
}

/** An OTLP/HTTP endpoint that takes the exports and counts them (what a collector would receive). */
export async function startOtlpSink(): Promise<{ url: string; requests: () => number; bytes: () => number; traces: () => number; close: () => Promise<void> }> {
  let requests = 0;
  let bytes = 0;
  let traces = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => (chunks.push(chunk), (bytes += chunk.length)));
    req.on("end", () => {
      requests++;
      traces += rootSpansOf(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    bytes: () => bytes,
    traces: () => traces,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Scrapes /api/metrics every `seconds` until stopped (Prometheus's work); resolves to the count. */
function startScraping(target: Target, token: string, seconds: number): () => Promise<number> {
  let running = true;
  let scrapes = 0;
  let wake = () => {};
  const loop = (async () => {
    while (running && !stopped.aborted) {
      const res = await fetch(`${target.server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /api/metrics answered ${res.status} on the ${target.name} server`);
      scrapes++;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000);
        wake = () => (clearTimeout(timer), resolve());
      });
    }
  })();
  return async () => {
    running = false;
    wake();
    await loop;
    return scrapes;
  };
}

const percent = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}%`;
const mibOf = (bytes: number | null) => (bytes === null ? "–" : (bytes / 1024 / 1024).toFixed(0));

/** This configuration's figure ÷ off's in the same round, for each round, as % changes. */
function pairedChanges(target: Target, off: Target, figure: (round: Round) => number | null): number[] {
  const changes: number[] = [];
  target.rounds.forEach((round, i) => {
    const mine = figure(round);
    const base = off.rounds[i] ? figure(off.rounds[i]) : null;
    if (mine !== null && base !== null && base > 0) changes.push((mine / base - 1) * 100);
  });
  return changes;
}

const medianOrNull = (values: number[]) => (values.length ? median(values) : null);

/** The middle half of the values (25th to 75th percentile), to show how noisy a median is. */
function interquartile(values: number[]): string {
  if (values.length < 4) return "–";
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!;
  return `${at(0.25).toFixed(0)}..${at(0.75).toFixed(0)}%`;
}

export async function runObservabilityBenchmark(options: ObservabilityBenchOptions): Promise<void> {
  if (options.buildFailed) throw new Error(options.buildFailed);
  const { scratch, url: databaseUrl } = await startBenchDatabase({ name: "observability", logLevel: options.logLevel });
  const { email, password } = await createBenchOwner();

  const sink = await startOtlpSink();
  onCleanup("stop the OTLP sink", () => sink.close());
  const token = randomBytes(24).toString("hex");
  // Set to "" when off, so a variable in the caller's environment cannot turn it on.
  const envOf = (config: Config): Record<string, string> => ({
    METRICS_TOKEN: config.metrics ? token : "",
    OTEL_EXPORTER_OTLP_ENDPOINT: config.tracing ? sink.url : "",
    ...(options.sampleRatio === null ? {} : { OTEL_TRACES_SAMPLE_RATIO: String(options.sampleRatio) }),
    ...(options.tracesPerSecond === null ? {} : { OTEL_TRACES_PER_SECOND: String(options.tracesPerSecond) }),
  });

  const targets: Target[] = [];
  for (const config of CONFIGS) {
    checkpoint(`Starting the app (${config.name}) …`);
    const dataDir = path.join(scratch, `data-${config.name}`);
    await mkdir(dataDir, { recursive: true });
    const server = startAppServer({ port: await freePort(), databaseUrl, dataDir, logLevel: options.logLevel, env: envOf(config) });
    onCleanup(`stop the app server (${config.name})`, () => server.stop());
    await server.ready(stopped);
    targets.push({ ...config, server, cookie: await signIn(server.baseUrl, email, password), rounds: [], latency: [] });
  }

  const post = (target: Target) => async (): Promise<boolean> => {
    const res = await fetch(`${target.server.baseUrl}${RUN_PATH}`, {
      method: "POST",
      headers: { cookie: target.cookie, "content-type": "application/json" },
      body: '{"input":{}}',
    });
    await res.arrayBuffer();
    return res.status === 200;
  };
  const mustPost = (target: Target) => async () => {
    if (!(await post(target)())) throw new Error(`POST ${RUN_PATH} failed on the ${target.name} server`);
  };

  checkpoint(`Warming up each server (${options.warmup} requests, a scrape where metrics are on) …`);
  for (const target of targets) {
    for (let i = 0; i < options.warmup && !stopped.aborted; i++) await mustPost(target)();
    if (target.metrics) await startScraping(target, token, options.scrapeEvery)();
  }

  const loadBefore = os.loadavg();
  for (let r = 0; r < options.rounds && !stopped.aborted; r++) {
    // Rotated each round, so each configuration takes each place in the order equally often.
    const order = targets.map((_, i) => targets[(i + r) % targets.length]!);
    for (const target of order) {
      checkpoint(`Round ${r + 1}/${options.rounds}: ${target.name} …`);
      const stopScraping = target.metrics ? startScraping(target, token, options.scrapeEvery) : async () => 0;
      let round: Omit<Round, "scrapes">;
      let scrapes = 0;
      try {
        target.latency.push(...(await timeSequential(options.sequential, mustPost(target), stopped)));
        const cpuBefore = processTreeCpu(target.server.pid);
        const result = await measureThroughput(options.concurrency, options.seconds, post(target), stopped);
        const cpuAfter = processTreeCpu(target.server.pid);
        round = {
          perSecond: result.perSecond,
          cpuPerRequest: cpuBefore === null || cpuAfter === null || result.completed === 0 ? null : (cpuAfter - cpuBefore) / result.completed,
          rss: processTreeRss(target.server.pid),
          failed: result.failed,
        };
      } finally {
        scrapes = await stopScraping();
      }
      target.rounds.push({ ...round, scrapes });
    }
  }
  checkpoint();
  const loadAfter = os.loadavg();

  const off = targets[0]!;
  const summaries = targets.map((target) => {
    const latency = summarize(target.latency);
    const offLatency = summarize(off.latency);
    const cpu = target.rounds.map((r) => r.cpuPerRequest).filter((v): v is number => v !== null);
    const rss = target.rounds.map((r) => r.rss).filter((v): v is number => v !== null);
    const throughputChanges = pairedChanges(target, off, (r) => r.perSecond);
    return {
      target,
      perSecond: median(target.rounds.map((r) => r.perSecond)),
      throughputChange: medianOrNull(throughputChanges),
      throughputSpread: interquartile(throughputChanges),
      latency,
      p50Change: ((latency.p50 - offLatency.p50) / offLatency.p50) * 100,
      p99Change: ((latency.p99 - offLatency.p99) / offLatency.p99) * 100,
      cpu: cpu.length ? median(cpu) : null,
      cpuChange: medianOrNull(pairedChanges(target, off, (r) => r.cpuPerRequest)),
      rss: rss.length ? median(rss) : null,
      failed: target.rounds.reduce((sum, r) => sum + r.failed, 0),
      scrapes: target.rounds.reduce((sum, r) => sum + r.scrapes, 0),
    };
  });
  const vs = (change: number | null, isOff: boolean) => (isOff || change === null ? "" : ` (${percent(change)})`);
  const rows = summaries.map((s) => {
    const isOff = s.target === off;
    return [
      s.target.name,
      `${s.perSecond.toFixed(0)}${vs(s.throughputChange, isOff)}`,
      isOff ? "" : s.throughputSpread,
      `${ms(s.latency.p50)}${vs(s.p50Change, isOff)}`,
      `${ms(s.latency.p99)}${vs(s.p99Change, isOff)}`,
      `${s.cpu === null ? "–" : s.cpu.toFixed(2)}${vs(s.cpuChange, isOff)}`,
      `${mibOf(s.rss)}${isOff || s.rss === null || summaries[0]!.rss === null ? "" : ` (${percent(((s.rss - summaries[0]!.rss) / summaries[0]!.rss) * 100)})`}`,
      String(s.scrapes),
      String(s.failed),
    ];
  });
  const perRound = targets.map((target) => [target.name, ...target.rounds.map((r) => r.perSecond.toFixed(0))]);
  const verdicts = summaries.slice(1).map((s) => {
    const cost = s.throughputChange === null ? null : -s.throughputChange;
    const pass = cost !== null && cost < TARGET_COST_PERCENT;
    return `${s.target.name} ${pass ? "PASS" : "FAIL"} (${s.throughputChange === null ? "no figure" : `req/s ${percent(s.throughputChange)}`})`;
  });
  const sampling = [
    options.tracesPerSecond === null ? `${getConfig().OTEL_TRACES_PER_SECOND} traces/s (the default)` : `${options.tracesPerSecond} traces/s`,
    options.sampleRatio === null ? `then ${getConfig().OTEL_TRACES_SAMPLE_RATIO} of the rest (the default)` : `then ${options.sampleRatio} of the rest`,
  ].join(", ");

  console.log(`
Monitoring overhead — Node ${process.version}, ${os.cpus().length} CPUs, POST ${RUN_PATH} (system.echo) with a session.
${options.rounds} rounds, each configuration once per round in a rotated order: ${options.sequential} sequential requests
(latency), then ${options.concurrency} concurrent callers for ${options.seconds} s (throughput, and the server's CPU per request).
Metrics: /api/metrics scraped every ${options.scrapeEvery} s while measured. Tracing: OTLP/HTTP to a local sink, keeping ${sampling}.
req/s, CPU and RSS are medians over rounds. The % beside req/s and CPU is the median over rounds of
(this ÷ off in the same round) − 1; "middle half" is its 25th..75th percentile for req/s (how noisy it is).
The % beside latency and RSS compares with off's figure. Latency pools every round's sequential requests.
CPU is the app server's (user + system, the scrapes included) per request of the throughput window.
Load average before/after: ${loadBefore.map((l) => l.toFixed(1)).join(" ")} / ${loadAfter.map((l) => l.toFixed(1)).join(" ")} (other work on the machine counts).

${formatTable(["config", "req/s", "middle half", "p50 ms", "p99 ms", "CPU ms/req", "RSS MiB", "scrapes", "failed"], rows)}

Throughput per round (req/s):
${formatTable(["config", ...off.rounds.map((_, i) => `r${i + 1}`)], perRound)}

OTLP sink: ${sink.requests()} export requests, ${(sink.bytes() / 1024 / 1024).toFixed(1)} MiB, ${sink.traces()} traces received.
Target: under ${TARGET_COST_PERCENT}% throughput cost versus off — ${verdicts.join("; ")}
${summaries.slice(1).every((s) => s.throughputChange !== null && -s.throughputChange < TARGET_COST_PERCENT) ? "PASS" : "FAIL"}`);
}
