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
  blocks: number;
  rounds: number;
  seconds: number;
  concurrency: number;
  sequential: number;
  warmup: number;
  /** Then this long with `concurrency` callers: every pooled connection open, the JIT settled. */
  warmupSeconds: number;
  scrapeEvery: number;
  /** Pause before each configuration's turn, for the previous window's leftovers to settle. */
  settleMs: number;
  /** OTEL_TRACES_SAMPLE_RATIO of the tracing configurations; null leaves the app's default. */
  sampleRatio: number | null;
  /** OTEL_TRACES_PER_SECOND of the tracing configurations; null leaves the app's default. */
  tracesPerSecond: number | null;
  /** A/A: every server runs with monitoring off, so the changes printed are the method's own. */
  calibrate: boolean;
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

/** One round's figures for one configuration, and the block they were measured in. */
type Round = { block: number; perSecond: number; cpuPerRequest: number | null; rss: number | null; failed: number; scrapes: number };
/** A configuration's figures over all blocks; `metrics` and `tracing` say what its servers actually run with. */
type Target = Config & { rounds: Round[]; latency: number[] };
/** A target's server in one block. */
type Instance = { target: Target; server: AppServer; cookie: string };

/** What every block's servers share. */
type Setup = {
  options: ObservabilityBenchOptions;
  scratch: string;
  databaseUrl: string;
  owner: { email: string; password: string };
  token: string;
  envOf: (target: Target) => Record<string, string>;
};

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
function startScraping(instance: Instance, token: string, seconds: number): () => Promise<number> {
  let running = true;
  let scrapes = 0;
  let wake = () => {};
  const loop = (async () => {
    while (running && !stopped.aborted) {
      const res = await fetch(`${instance.server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /api/metrics answered ${res.status} on the ${instance.target.name} server`);
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

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const percent = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}%`;
const mibOf = (bytes: number | null) => (bytes === null ? "–" : (bytes / 1024 / 1024).toFixed(0));

/**
 * This configuration's figure ÷ off's in the same round, for each round (of every block, or of
 * `block` alone), as % changes. A round's two figures come from servers of the same block.
 */
function pairedChanges(target: Target, off: Target, figure: (round: Round) => number | null, block?: number): number[] {
  const changes: number[] = [];
  target.rounds.forEach((round, i) => {
    if (block !== undefined && round.block !== block) return;
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

/**
 * Block b starts configuration i at position (i + b) mod 4: servers started earlier or later
 * differ by as much as the effect measured (an A/A run showed the 4th at −6 % req/s), so over
 * four blocks each configuration starts once in each place.
 */
function startOrder<T>(targets: T[], block: number): T[] {
  const n = targets.length;
  return targets.map((_, position) => targets[(((position - block) % n) + n) % n]!);
}

/** Starts the block's servers one after another in its start order, each signed in. */
async function startBlock(setup: Setup, targets: Target[], block: number): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (const target of startOrder(targets, block)) {
    checkpoint(`Block ${block + 1}: starting the app (${target.name}) …`);
    const dataDir = path.join(setup.scratch, `data-${block + 1}-${target.name}`);
    await mkdir(dataDir, { recursive: true });
    const server = startAppServer({ port: await freePort(), databaseUrl: setup.databaseUrl, dataDir, logLevel: setup.options.logLevel, env: setup.envOf(target) });
    onCleanup(`stop the app server (block ${block + 1}, ${target.name})`, () => server.stop());
    await server.ready(stopped);
    instances.push({ target, server, cookie: await signIn(server.baseUrl, setup.owner.email, setup.owner.password) });
  }
  return instances;
}

const post = (instance: Instance) => async (): Promise<boolean> => {
  const res = await fetch(`${instance.server.baseUrl}${RUN_PATH}`, {
    method: "POST",
    headers: { cookie: instance.cookie, "content-type": "application/json" },
    body: '{"input":{}}',
  });
  await res.arrayBuffer();
  return res.status === 200;
};

const mustPost = (instance: Instance) => async () => {
  if (!(await post(instance)())) throw new Error(`POST ${RUN_PATH} failed on the ${instance.target.name} server`);
};

const mustSucceed = (instance: Instance) => async () => (await mustPost(instance)(), true);

/** One configuration's turn in a round: sequential requests (latency), then the throughput window. */
async function measureTurn(setup: Setup, instance: Instance, block: number): Promise<Round> {
  const { options, token } = setup;
  const { target, server } = instance;
  const stopScraping = target.metrics ? startScraping(instance, token, options.scrapeEvery) : async () => 0;
  let round: Omit<Round, "scrapes">;
  let scrapes = 0;
  try {
    // The pool closes connections idle for 10 s, and a configuration can wait longer than that
    // between its turns: reopening them (a fresh PostgreSQL backend each) happens here, unmeasured.
    await Promise.all(Array.from({ length: options.concurrency }, () => mustPost(instance)()));
    target.latency.push(...(await timeSequential(options.sequential, mustPost(instance), stopped)));
    const cpuBefore = processTreeCpu(server.pid);
    const result = await measureThroughput(options.concurrency, options.seconds, post(instance), stopped);
    const cpuAfter = processTreeCpu(server.pid);
    round = {
      block,
      perSecond: result.perSecond,
      cpuPerRequest: cpuBefore === null || cpuAfter === null || result.completed === 0 ? null : (cpuAfter - cpuBefore) / result.completed,
      rss: processTreeRss(server.pid),
      failed: result.failed,
    };
  } finally {
    scrapes = await stopScraping();
  }
  return { ...round, scrapes };
}

/**
 * The order of round `turn` (a Williams design): over every n rounds (n even) each configuration is
 * measured once in each place and right after each other configuration once. A plain rotation
 * always puts the same configuration after a given one, so what one window leaves behind would
 * always weigh on the same neighbour.
 */
export function balancedOrder(n: number, turn: number): number[] {
  const first = Array.from({ length: n }, (_, i) => (i % 2 ? (i + 1) / 2 : (n - i / 2) % n));
  return first.map((c) => (c + turn) % n);
}

/** Fresh servers in the block's start order, warmed, measured for its rounds, then stopped. */
async function runBlock(setup: Setup, targets: Target[], block: number): Promise<void> {
  const { options } = setup;
  const started = await startBlock(setup, targets, block);
  checkpoint(`Block ${block + 1}: warming up each server (${options.warmup} requests, then ${options.concurrency} callers for ${options.warmupSeconds} s, a scrape where metrics are on) …`);
  for (const instance of started) {
    for (let i = 0; i < options.warmup && !stopped.aborted; i++) await mustPost(instance)();
    // Sequential requests alone leave the server half warm (one pooled connection, code the JIT has
    // not optimised yet): without this, a block's first rounds ran at half the req/s of its last.
    if (options.warmupSeconds > 0) await measureThroughput(options.concurrency, options.warmupSeconds, mustSucceed(instance), stopped);
    if (instance.target.metrics) await startScraping(instance, setup.token, options.scrapeEvery)();
  }
  const instances = targets.map((target) => started.find((instance) => instance.target === target)!);
  for (let r = 0; r < options.rounds && !stopped.aborted; r++) {
    const order = balancedOrder(instances.length, block * options.rounds + r).map((i) => instances[i]!);
    for (const instance of order) {
      checkpoint(`Block ${block + 1}/${options.blocks}, round ${r + 1}/${options.rounds}: ${instance.target.name} …`);
      // What the window before left behind (the database writing out its WAL, a server's last
      // answers and garbage) settles first, so it does not count against the next configuration.
      await new Promise((resolve) => setTimeout(resolve, options.settleMs));
      instance.target.rounds.push(await measureTurn(setup, instance, block));
    }
  }
  checkpoint(`Block ${block + 1}: stopping its servers …`);
  for (const instance of started) await instance.server.stop();
}

/** Each configuration's medians over all rounds of all blocks, its changes against off's, and its totals. */
function summarizeTarget(target: Target, off: Target) {
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
}
type TargetSummary = ReturnType<typeof summarizeTarget>;

function summaryRows(summaries: TargetSummary[]): string[][] {
  const off = summaries[0]!;
  const vs = (change: number | null, isOff: boolean) => (isOff || change === null ? "" : ` (${percent(change)})`);
  return summaries.map((s) => {
    const isOff = s === off;
    return [
      s.target.name,
      `${s.perSecond.toFixed(0)}${vs(s.throughputChange, isOff)}`,
      isOff ? "" : s.throughputSpread,
      `${ms(s.latency.p50)}${vs(s.p50Change, isOff)}`,
      `${ms(s.latency.p99)}${vs(s.p99Change, isOff)}`,
      `${s.cpu === null ? "–" : s.cpu.toFixed(2)}${vs(s.cpuChange, isOff)}`,
      `${mibOf(s.rss)}${isOff || s.rss === null || off.rss === null ? "" : ` (${percent(((s.rss - off.rss) / off.rss) * 100)})`}`,
      String(s.scrapes),
      String(s.failed),
    ];
  });
}

/** Per block: its start order, off's median req/s, and each configuration's median paired req/s change. */
function blockRows(targets: Target[], blocks: number): string[][] {
  const off = targets[0]!;
  return Array.from({ length: blocks }, (_, block) => {
    const offRounds = off.rounds.filter((r) => r.block === block);
    return [
      String(block + 1),
      startOrder(targets, block).map((t) => t.name).join(" "),
      offRounds.length ? median(offRounds.map((r) => r.perSecond)).toFixed(0) : "–",
      ...targets.slice(1).map((target) => {
        const change = medianOrNull(pairedChanges(target, off, (r) => r.perSecond, block));
        return change === null ? "–" : percent(change);
      }),
    ];
  });
}

/** Every round's req/s, a row per block and configuration. */
function roundRows(targets: Target[], blocks: number): string[][] {
  return Array.from({ length: blocks }, (_, block) =>
    targets.map((target) => [`${block + 1} ${target.name}`, ...target.rounds.filter((r) => r.block === block).map((r) => r.perSecond.toFixed(0))]),
  ).flat();
}

/** The target's PASS/FAIL per configuration, or in a calibration the noise floor instead. */
function verdict(summaries: TargetSummary[], options: ObservabilityBenchOptions): string {
  const measured = summaries.slice(1);
  const used = `${count(options.blocks, "block")} × ${count(options.rounds, "round")}`;
  if (options.calibrate) {
    const largest = (change: (s: TargetSummary) => number | null) =>
      measured.reduce<{ name: string; size: number } | null>((top, s) => {
        const value = change(s);
        return value === null || (top && top.size >= Math.abs(value)) ? top : { name: s.target.name, size: Math.abs(value) };
      }, null);
    const throughput = largest((s) => s.throughputChange);
    const cpu = largest((s) => s.cpuChange);
    const floor = (top: { name: string; size: number } | null) => (top === null ? "no figure" : `${top.size.toFixed(1)}% (${top.name})`);
    return `Calibration (${used}): every server ran with monitoring off, so no verdict on the ${TARGET_COST_PERCENT}% target.
Noise floor (the largest |median change| above): req/s ${floor(throughput)}, CPU per request ${floor(cpu)}.`;
  }
  const passes = (s: TargetSummary) => s.throughputChange !== null && -s.throughputChange < TARGET_COST_PERCENT;
  const verdicts = measured.map((s) => `${s.target.name} ${passes(s) ? "PASS" : "FAIL"} (${s.throughputChange === null ? "no figure" : `req/s ${percent(s.throughputChange)}`})`);
  return `Target (${used}): under ${TARGET_COST_PERCENT}% throughput cost versus off — ${verdicts.join("; ")}
${measured.every(passes) ? "PASS" : "FAIL"}`;
}

export async function runObservabilityBenchmark(options: ObservabilityBenchOptions): Promise<void> {
  if (options.buildFailed) throw new Error(options.buildFailed);
  const startedAt = performance.now();
  const { scratch, url: databaseUrl } = await startBenchDatabase({ name: "observability", logLevel: options.logLevel });
  const owner = await createBenchOwner();

  const sink = await startOtlpSink();
  onCleanup("stop the OTLP sink", () => sink.close());
  const token = randomBytes(24).toString("hex");
  // Set to "" when off, so a variable in the caller's environment cannot turn it on.
  const envOf = (target: Target): Record<string, string> => ({
    METRICS_TOKEN: target.metrics ? token : "",
    OTEL_EXPORTER_OTLP_ENDPOINT: target.tracing ? sink.url : "",
    ...(options.sampleRatio === null ? {} : { OTEL_TRACES_SAMPLE_RATIO: String(options.sampleRatio) }),
    ...(options.tracesPerSecond === null ? {} : { OTEL_TRACES_PER_SECOND: String(options.tracesPerSecond) }),
  });
  // A calibration keeps the slots' names but turns their monitoring off (no scrapes either).
  const targets: Target[] = CONFIGS.map((config) => ({
    ...config,
    ...(options.calibrate ? { metrics: false, tracing: false } : {}),
    rounds: [],
    latency: [],
  }));
  const setup: Setup = { options, scratch, databaseUrl, owner, token, envOf };

  const loadBefore = os.loadavg();
  for (let block = 0; block < options.blocks; block++) await runBlock(setup, targets, block);
  checkpoint();
  const loadAfter = os.loadavg();
  const minutes = (performance.now() - startedAt) / 60_000;

  const summaries = targets.map((target) => summarizeTarget(target, targets[0]!));
  const sampling = [
    options.tracesPerSecond === null ? `${getConfig().OTEL_TRACES_PER_SECOND} traces/s (the default)` : `${options.tracesPerSecond} traces/s`,
    options.sampleRatio === null ? `then ${getConfig().OTEL_TRACES_SAMPLE_RATIO} of the rest (the default)` : `then ${options.sampleRatio} of the rest`,
  ].join(", ");
  const monitoring = options.calibrate
    ? "CALIBRATION (A/A): every server runs with monitoring off; each row is labelled by the configuration it stands in for."
    : `Metrics: /api/metrics scraped every ${options.scrapeEvery} s while measured. Tracing: OTLP/HTTP to a local sink, keeping ${sampling}.`;
  const rounds = options.rounds * options.blocks;

  console.log(`
Monitoring overhead — Node ${process.version}, ${os.cpus().length} CPUs, POST ${RUN_PATH} (system.echo) with a session.
${count(options.blocks, "block")} of ${count(options.rounds, "round")} (${count(rounds, "round")} in all, ${minutes.toFixed(1)} min). Each block starts four fresh servers, one per
configuration, in a start order rotated from block to block, and warms them (${options.warmup} sequential requests, then
${options.concurrency} callers for ${options.warmupSeconds} s). Each round measures each configuration
once, in a balanced order (each after each other equally often), ${options.settleMs} ms apart: ${options.concurrency} unmeasured requests at
once (reopening pooled connections), ${options.sequential} sequential requests (latency), then ${options.concurrency} concurrent callers for ${options.seconds} s
(throughput, and the server's CPU per request).
${monitoring}
req/s, CPU and RSS are medians over all rounds. The % beside req/s and CPU is the median over all rounds of
(this ÷ off in the same round) − 1; "middle half" is its 25th..75th percentile for req/s (how noisy it is).
The % beside latency and RSS compares with off's figure. Latency pools every round's sequential requests.
CPU is the app server's (user + system, the scrapes included) per request of the throughput window.
Load average before/after: ${loadBefore.map((l) => l.toFixed(1)).join(" ")} / ${loadAfter.map((l) => l.toFixed(1)).join(" ")} (other work on the machine counts).

${formatTable(["config", "req/s", "middle half", "p50 ms", "p99 ms", "CPU ms/req", "RSS MiB", "scrapes", "failed"], summaryRows(summaries))}

Per block (fresh servers each): start order, off's median req/s, and each configuration's median paired req/s
change — one block far from the others points at its servers, not at the configuration:
${formatTable(["block", "start order", "off req/s", ...targets.slice(1).map((t) => t.name)], blockRows(targets, options.blocks))}

Throughput per round (req/s):
${formatTable(["block config", ...Array.from({ length: options.rounds }, (_, i) => `r${i + 1}`)], roundRows(targets, options.blocks))}

OTLP sink: ${sink.requests()} export requests, ${(sink.bytes() / 1024 / 1024).toFixed(1)} MiB, ${sink.traces()} traces received.
${verdict(summaries, options)}`);
}
