import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { definePipeline } from "@/lib/pipelines/define";
import { startRun, type RunOptions } from "@/lib/pipelines/runner";
import * as runs from "@/lib/pipelines/runs.repository";
import { freePort } from "../../tests/setup/database";
import { createBenchOwner, startBenchDatabase } from "./bench-database";
import { signIn, startAppServer } from "./app-server";
import { checkpoint, onCleanup, stopped } from "./lifecycle";
import { formatTable, measureThroughput, mib, ms, processTreeRss, summarize, timeSequential, type Summary, type Throughput } from "./measure";

// The pipeline runner benchmark itself (see pipelines.ts for what it measures and how to run it).

const TARGET_P50_MS = 5;
const TARGET_HTTP_GAP_MS = 2;
/** Concurrent, unmeasured load before each side is measured (after the sequential warm-up runs). */
const WARMUP_SECONDS = 3;

const say = (line: string) => console.error(`[bench] ${line}`);

const noop = definePipeline({
  name: "bench.noop",
  title: "No-op",
  description: "Does nothing; measures the runner itself.",
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  async run() {
    return { ok: true };
  },
});

const runOptions: RunOptions = { trigger: "cli", actor: { type: "system", label: "bench" }, resolve: () => noop };

async function serviceRun(): Promise<boolean> {
  const started = await startRun(noop, {}, runOptions);
  return (await started.completion).status === "succeeded";
}

async function mustSucceed(fn: () => Promise<boolean>, what: string): Promise<void> {
  if (!(await fn())) throw new Error(`${what} did not succeed`);
}

type Row = { label: string; summary: Summary };

async function measureDatabaseSteps(count: number): Promise<Row[]> {
  const db = autocommit();
  const ids: string[] = [];
  const roundTrip = await timeSequential(count, async () => void (await getDb().$queryRaw`SELECT 1`), stopped);
  const insert = await timeSequential(
    count,
    async () => {
      const id = newId("run");
      ids.push(id);
      await runs.insertRun(db, {
        id,
        pipeline: noop.name,
        status: "running",
        trigger: "cli",
        input: {},
        actorType: "system",
        actorId: null,
        actorLabel: "bench",
        tokenId: null,
        requestId: null,
        idempotencyKey: null,
        idempotencyScope: null,
        parentRunId: null,
        instanceId: null,
        timeoutMs: noop.timeoutMs,
        startedAt: new Date(),
      });
    },
    stopped,
  );
  let next = 0;
  const close = await timeSequential(
    ids.length,
    async () => void (await runs.finishRun(db, ids[next++]!, { status: "succeeded", output: { ok: true } }, new Date(), 0)),
    stopped,
  );
  return [
    { label: "  alone: one database round trip (SELECT 1)", summary: summarize(roundTrip) },
    { label: "  alone: insert a run row (1st write)", summary: summarize(insert) },
    { label: "  alone: close a run row (2nd write)", summary: summarize(close) },
  ];
}

export type BenchOptions = {
  runs: number;
  httpRuns: number;
  warmup: number;
  concurrency: number;
  seconds: number;
  /** Why the HTTP figures are left out (the app did not build, --skip-http), or null. */
  httpSkipped: string | null;
  logLevel: string;
};

export async function runBenchmark(options: BenchOptions): Promise<void> {
  const { runs: runCount, httpRuns, warmup, concurrency, seconds, logLevel, httpSkipped } = options;
  const { scratch, url: databaseUrl } = await startBenchDatabase({ name: "pipelines", logLevel });

  const [pg] = await getDb().$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
  const memoryBefore = process.memoryUsage();
  const rows: Row[] = [];
  const throughput: { label: string; result: Throughput }[] = [];

  checkpoint(`Service: ${warmup} warm-up runs, then ${runCount} sequential runs …`);
  for (let i = 0; i < warmup && !stopped.aborted; i++) await mustSucceed(serviceRun, "A warm-up run");
  await measureThroughput(concurrency, WARMUP_SECONDS, serviceRun, stopped);
  const serviceSamples = await timeSequential(runCount, () => mustSucceed(serviceRun, "A service run"), stopped);
  const service = summarize(serviceSamples);
  rows.push({ label: "service: startRun + completion", summary: service });
  rows.push(...(await measureDatabaseSteps(Math.min(runCount, 500))));

  checkpoint(`Service: ${concurrency} concurrent callers for ${seconds} s …`);
  throughput.push({ label: "service", result: await measureThroughput(concurrency, seconds, serviceRun, stopped) });

  let serverRss: { before: number | null; after: number | null } | null = null;
  if (!httpSkipped) {
    const { email, password } = await createBenchOwner();
    const dataDir = path.join(scratch, "data");
    await mkdir(dataDir, { recursive: true });

    checkpoint("Starting the app with `next start` …");
    const server = startAppServer({ port: await freePort(), databaseUrl, dataDir, logLevel });
    onCleanup("stop the app server", () => server.stop());
    await server.ready(stopped);
    const cookie = await signIn(server.baseUrl, email, password);

    const call = (method: "GET" | "POST", urlPath: string): Promise<Response> =>
      fetch(`${server.baseUrl}${urlPath}`, {
        method,
        headers: method === "POST" ? { cookie, "content-type": "application/json" } : { cookie },
        body: method === "POST" ? '{"input":{}}' : undefined,
      });
    const expectOk = (method: "GET" | "POST", urlPath: string) => async () => {
      const res = await call(method, urlPath);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
    };
    const startRunPath = "/api/pipelines/system.echo/runs";
    const post = async (): Promise<boolean> => {
      const res = await call("POST", startRunPath);
      await res.arrayBuffer();
      return res.status === 200;
    };

    serverRss = { before: processTreeRss(server.pid), after: null };
    // Warmed as the service is, and more: a freshly started server answers its first few thousand
    // requests with code the JIT has not optimised yet and one pooled connection, and measuring
    // it then (as this once did, after 100 requests) times the warm-up, not the edge.
    checkpoint(`HTTP: ${warmup} warm-up requests and ${concurrency} callers for ${WARMUP_SECONDS} s, then ${httpRuns} sequential requests …`);
    for (let i = 0; i < warmup && !stopped.aborted; i++) await expectOk("POST", startRunPath)();
    await measureThroughput(concurrency, WARMUP_SECONDS, post, stopped);
    const startRunSamples = await timeSequential(httpRuns, expectOk("POST", startRunPath), stopped);
    rows.push({ label: `HTTP: POST ${startRunPath}`, summary: summarize(startRunSamples) });
    // The same server without the runner, to show what HTTP, Next.js and the session check cost.
    const comparisons = Math.min(httpRuns, 200);
    for (const [label, urlPath] of [
      ["  alone: GET /api/health (no session, 1 query)", "/api/health"],
      ["  alone: GET /api/pipelines (session check, no run)", "/api/pipelines"],
    ] as const) {
      await expectOk("GET", urlPath)();
      rows.push({ label, summary: summarize(await timeSequential(comparisons, expectOk("GET", urlPath), stopped)) });
    }
    checkpoint(`HTTP: ${concurrency} concurrent callers for ${seconds} s …`);
    throughput.push({ label: "HTTP", result: await measureThroughput(concurrency, seconds, post, stopped) });
    serverRss.after = processTreeRss(server.pid);
  }
  checkpoint();
  const memoryAfter = process.memoryUsage();
  // Issue #17: a no-op pipeline over HTTP within 2 ms p50 of the service, in the same run.
  const httpGapLine = () => {
    const http = rows.find((row) => row.label.startsWith("HTTP: POST"))?.summary;
    if (!http) return "";
    const gap = http.p50 - service.p50;
    return `\ntarget: HTTP within ${TARGET_HTTP_GAP_MS} ms p50 of the service — ${gap <= TARGET_HTTP_GAP_MS ? "met" : "NOT met"} (${ms(gap)} ms apart; for an idle 2-core machine)`;
  };

  console.log(`
Pipeline runner benchmark — Node ${process.version}, PostgreSQL ${pg?.version ?? "?"} (throw-away cluster), ${os.cpus().length} CPUs, log level ${logLevel}
No-op pipeline; ms per run, one run after another, after ${warmup} warm-up runs and ${concurrency} callers for ${WARMUP_SECONDS} s. "alone" rows time parts
of the row above them by themselves (the runner's two writes; HTTP without the runner).

${formatTable(
  ["", "runs", "p50", "p95", "p99", "max"],
  rows.map(({ label, summary: s }) => [label, String(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]),
)}
${httpSkipped ? `HTTP: skipped (${httpSkipped})\n` : ""}
${formatTable(
  [`${concurrency} concurrent callers, ${seconds} s`, "runs", "failed", "runs/s"],
  throughput.map(({ label, result: t }) => [label, String(t.completed), String(t.failed), t.perSecond.toFixed(0)]),
)}

${formatTable(
  ["memory", "rss", "heapUsed"],
  [
    ["bench process, before", mib(memoryBefore.rss), mib(memoryBefore.heapUsed)],
    ["bench process, after", mib(memoryAfter.rss), mib(memoryAfter.heapUsed)],
    ...(serverRss
      ? [
          ["app server (next start), before HTTP runs", mib(serverRss.before), "–"],
          ["app server (next start), after HTTP runs", mib(serverRss.after), "–"],
        ]
      : []),
  ],
)}

target: ≤ ${TARGET_P50_MS} ms p50 service overhead — ${service.p50 <= TARGET_P50_MS ? "met" : "NOT met"} (p50 ${ms(service.p50)} ms)${httpGapLine()}`);
  const failures = throughput.filter((t) => t.result.failed > 0);
  if (failures.length) say(`warning: failed calls during ${failures.map((t) => t.label).join(", ")}; the figures are suspect`);
}

