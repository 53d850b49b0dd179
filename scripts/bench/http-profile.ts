import { spawn } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { freePort } from "../../tests/setup/database";
import { signIn, startAppServer, type AppServer } from "./app-server";
import { createBenchOwner, startBenchDatabase } from "./bench-database";
import { checkpoint, onCleanup, stopped } from "./lifecycle";
import { BENCH_JOB, queueJobs } from "./queue-jobs";
import { startOtlpSink } from "./observability-benchmark";
import { formatTable, measureThroughput, ms, processTreeCpu, processTreeRss, summarize, timeSequential } from "./measure";
import type { EndpointName } from "./profile-http";

// The HTTP edge profile itself (see profile-http.ts for what it measures and how to run it).

export type HttpProfileOptions = {
  seconds: number;
  concurrency: number;
  warmup: number;
  only: EndpointName[];
  profile: EndpointName | null;
  top: number;
  /** Where to save the V8 profile as well, or null. */
  keepProfile: string | null;
  env: Record<string, string>;
  /** Measure a second server with OTLP tracing on, beside the first. */
  tracing: boolean;
  /** Measure a server with DIRECT_API=off (every request through Next.js's router), beside the first. */
  router: boolean;
  logLevel: string;
  buildFailed: string | null;
};

const JOB_KIND = BENCH_JOB.kind;
const JOB_RESULT = BENCH_JOB.result;

/** One request (or request pair) of an endpoint; resolves false when it was not answered as expected. */
type Call = () => Promise<boolean>;
type Endpoint = { name: EndpointName; label: string; call: Call; before?: () => Promise<void> };
type Credentials = { cookie: string; bearer: string };

function endpointsOf(baseUrl: string, credentials: Credentials, jobsPerWindow: number): Endpoint[] {
  const agentHeaders = { authorization: `Bearer ${credentials.bearer}`, "content-type": "application/json" };
  const get = (urlPath: string, headers: Record<string, string> = {}): Call => async () => {
    const res = await fetch(`${baseUrl}${urlPath}`, { headers });
    await res.arrayBuffer();
    return res.status === 200;
  };
  const claimComplete: Call = async () => {
    const claim = await fetch(`${baseUrl}/api/agent/jobs/claim`, { method: "POST", headers: agentHeaders, body: '{"limit":1}' });
    const { jobs } = (await claim.json()) as { jobs?: { id: string; leaseId: string }[] };
    const job = jobs?.[0];
    if (claim.status !== 200 || !job) return false;
    const done = await fetch(`${baseUrl}/api/agent/jobs/${job.id}/complete`, {
      method: "POST",
      headers: agentHeaders,
      body: JSON.stringify({ leaseId: job.leaseId, result: JOB_RESULT }),
    });
    await done.arrayBuffer();
    return done.status === 200;
  };
  const runPipeline: Call = async () => {
    const res = await fetch(`${baseUrl}/api/pipelines/system.echo/runs`, {
      method: "POST",
      headers: { cookie: credentials.cookie, "content-type": "application/json", origin: baseUrl },
      body: '{"input":{}}',
    });
    await res.arrayBuffer();
    return res.status === 200;
  };
  return [
    { name: "health", label: "GET /api/health", call: get("/api/health") },
    { name: "openapi", label: "GET /api/openapi.json", call: get("/api/openapi.json") },
    { name: "agent-me", label: "GET /api/agent/me (bearer)", call: get("/api/agent/me", { authorization: `Bearer ${credentials.bearer}` }) },
    { name: "claim-complete", label: "claim + complete (per job)", call: claimComplete, before: () => queueJobs(jobsPerWindow) },
    { name: "pipeline", label: "POST pipeline run (session)", call: runPipeline },
    { name: "page", label: "GET /sign-in (page)", call: get("/sign-in") },
  ];
}

type Measured = { label: string; perSecond: number; cpuPerRequest: number | null; p50: number; p99: number; rss: number | null; failed: number };

async function measure(endpoint: Endpoint, pid: number, options: HttpProfileOptions): Promise<Measured> {
  await endpoint.before?.();
  for (let i = 0; i < options.warmup && !stopped.aborted; i++) await endpoint.call();
  const latency = summarize(await timeSequential(50, async () => void (await endpoint.call()), stopped));
  const cpuBefore = processTreeCpu(pid);
  const result = await measureThroughput(options.concurrency, options.seconds, endpoint.call, stopped);
  const cpuAfter = processTreeCpu(pid);
  return {
    label: endpoint.label,
    perSecond: result.perSecond,
    cpuPerRequest: cpuBefore === null || cpuAfter === null || !result.completed ? null : (cpuAfter - cpuBefore) / result.completed,
    p50: latency.p50,
    p99: latency.p99,
    rss: processTreeRss(pid),
    failed: result.failed,
  };
}

/** Plain node:http answering constant JSON, in its own process so its CPU can be read alone. */
async function measureFloor(options: HttpProfileOptions): Promise<Measured> {
  const port = await freePort();
  const source = `require("node:http").createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end('{"status":"ok"}'); }).listen(${port}, "127.0.0.1", () => process.send("ready"));`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  onCleanup("stop the node:http floor", async () => void child.kill("SIGKILL"));
  await new Promise<void>((resolve, reject) => (child.once("message", () => resolve()), child.once("exit", (code) => reject(new Error(`node:http exited ${code}`)))));
  const endpoint: Endpoint = {
    name: "health",
    label: "node:http constant JSON (floor)",
    call: async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.arrayBuffer();
      return res.status === 200;
    },
  };
  const measured = await measure(endpoint, child.pid!, options);
  child.kill("SIGKILL");
  return measured;
}

async function credentialsFor(server: AppServer, owner: { email: string; password: string }, agent: { clientId: string; clientSecret: string }): Promise<Credentials> {
  const cookie = await signIn(server.baseUrl, owner.email, owner.password);
  const { access_token: bearer } = await exchangeClientCredentials(agent.clientId, agent.clientSecret, "127.0.0.1", "profile");
  return { cookie, bearer };
}

// ── The CPU profile summary ─────────────────────────────────────────────────────────────────────

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };

/** The monotonic clock V8 stamps profiles with (CLOCK_MONOTONIC, the same in every process), in µs. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** Where a function's code comes from, by the script's address. */
function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native / V8)";
  if (url.startsWith("node:")) return "node internals";
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (inModules) {
    const [, pkg, rest] = inModules;
    if (pkg === "next") {
      if (/compiled\/(react|react-dom|react-server-dom[^/]*|scheduler)\//.test(rest!)) return "React (next/compiled)";
      if (rest!.includes("compiled/")) return `next/compiled/${/compiled\/([^/]+)/.exec(rest!)?.[1]}`;
      if (rest!.includes("server/route-modules") || rest!.includes("server/app-render")) return "Next.js app rendering / route modules";
      if (rest!.includes("server/web") || rest!.includes("server/lib/router")) return "Next.js proxy / router";
      return "Next.js server";
    }
    return pkg!;
  }
  if (url.includes("/.next/server/")) {
    if (/middleware|proxy/.test(url)) return "app bundle: proxy";
    if (/\[root-of-the-server\]|node_modules/.test(url)) return "app bundle: bundled dependencies";
    return "app bundle: our code";
  }
  return url.replace(/^file:\/\//, "").replace(process.cwd(), ".");
}

async function newestProfile(dir: string, keepAs: string | null): Promise<CpuProfile> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
  if (!files.length) throw new Error(`No CPU profile was written to ${dir}`);
  const sized = await Promise.all(files.map(async (f) => ({ f, size: (await stat(path.join(dir, f))).size })));
  // `next start` may leave a small profile for a helper process; the server's is the large one.
  const largest = sized.sort((a, b) => b.size - a.size)[0]!.f;
  if (keepAs) await copyFile(path.join(dir, largest), keepAs);
  return JSON.parse(await readFile(path.join(dir, largest), "utf8")) as CpuProfile;
}

/** Self time by function and origin of the samples taken within `window` (µs, monotonic). */
function summarizeProfile(profile: CpuProfile, window: { from: number; to: number }, requests: number, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= window.from && at <= window.to) selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
  });
  const total = [...selfMicros.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName !== "(idle)").reduce((sum, [, us]) => sum + us, 0);

  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, { us: number; origin: string }>();
  for (const [id, us] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
    const key = `${functionName || "(anonymous)"} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ""}`.trim();
    const entry = byFunction.get(key) ?? { us: 0, origin };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const perRequest = (us: number) => (us / 1000 / requests).toFixed(3);
  const share = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  const origins = [...byOrigin].sort((a, b) => b[1] - a[1]).map(([origin, us]) => [origin, share(us), perRequest(us)]);
  const functions = [...byFunction].sort((a, b) => b[1].us - a[1].us).slice(0, top).map(([fn, { us, origin }]) => [fn.slice(0, 70), origin.slice(0, 36), share(us), perRequest(us)]);
  return `Busy CPU in the profile: ${(total / 1000).toFixed(0)} ms over ${requests} requests = ${perRequest(total)} ms per request.

Self time by origin:
${formatTable(["origin", "share", "ms/req"], origins)}

Self time by function (top ${top}):
${formatTable(["function", "origin", "share", "ms/req"], functions)}`;
}

// ── The run ─────────────────────────────────────────────────────────────────────────────────────

export async function runHttpProfile(options: HttpProfileOptions): Promise<void> {
  if (options.buildFailed) throw new Error(options.buildFailed);
  const { scratch, url: databaseUrl } = await startBenchDatabase({ name: "http-profile", logLevel: options.logLevel });
  const owner = await createBenchOwner();
  const { clientId, clientSecret } = await createAgent({ name: "profile-agent", jobKinds: [JOB_KIND] }, null);
  // Enough queued jobs for a window at a few thousand pairs a second.
  const jobsPerWindow = Math.max(2_000, options.seconds * options.concurrency * 400);

  const start = async (name: string, extraEnv: Record<string, string>) => {
    const dataDir = path.join(scratch, `data-${name}`);
    await mkdir(dataDir, { recursive: true });
    const server = startAppServer({ port: await freePort(), databaseUrl, dataDir, logLevel: options.logLevel, env: { ...options.env, ...extraEnv } });
    onCleanup(`stop the app server (${name})`, () => server.stop());
    await server.ready(stopped);
    return server;
  };

  const measureServer = async (name: string, extraEnv: Record<string, string>, suffix: string) => {
    checkpoint(`Starting the app (${name}) with \`next start\` …`);
    const server = await start(name, extraEnv);
    const endpoints = endpointsOf(server.baseUrl, await credentialsFor(server, owner, { clientId, clientSecret }), jobsPerWindow);
    const measured: Measured[] = [];
    for (const endpoint of endpoints.filter((e) => options.only.includes(e.name))) {
      checkpoint(`Measuring ${endpoint.label}${suffix} …`);
      measured.push({ ...(await measure(endpoint, server.pid, options)), label: `${endpoint.label}${suffix}` });
    }
    await server.stop();
    return measured;
  };

  const loadBefore = os.loadavg();
  const rows = await measureServer("measure", {}, "");
  let traces = "";
  const sink = options.tracing ? await startOtlpSink() : null;
  if (sink) onCleanup("stop the OTLP sink", () => sink.close());
  const tracingEnv: Record<string, string> = sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {};
  // Each endpoint's row with the other configurations' rows right under it.
  const others: Measured[][] = [];
  if (options.router) others.push(await measureServer("router", { DIRECT_API: "off" }, " (via Next.js router)"));
  if (sink) {
    others.push(await measureServer("tracing", tracingEnv, " +tracing"));
    traces = `\nTracing: OTLP/HTTP to a local sink with the app's default sampling; the sink received ${sink.traces()} traces in ${sink.requests()} exports.`;
  }
  rows.splice(0, rows.length, ...rows.flatMap((row, i) => [row, ...others.map((other) => other[i]!)]));
  checkpoint("Measuring the node:http floor …");
  rows.push(await measureFloor(options));
  const loadAfter = os.loadavg();
  // Issue #17's target for the simplest request, on an idle 2-core machine.
  const health = rows.find((r) => r.label === "GET /api/health");
  const healthTarget = !health || health.cpuPerRequest === null
    ? ""
    : `\nTarget: GET /api/health ≤ 1 ms of server CPU per request: ${health.cpuPerRequest.toFixed(2)} ms ${health.cpuPerRequest <= 1 ? "PASS" : "FAIL"} (for an idle machine)`;

  console.log(`
HTTP edge profile — Node ${process.version}, ${os.cpus().length} CPUs, \`next start\` (production build), keep-alive fetch.
Each endpoint: ${options.warmup} warm-up requests, 50 sequential (latency), then ${options.concurrency} concurrent callers for ${options.seconds} s
(throughput, and the server's CPU — user + system from /proc — divided by the requests answered).
Load average before/after: ${loadBefore.map((l) => l.toFixed(1)).join(" ")} / ${loadAfter.map((l) => l.toFixed(1)).join(" ")} (other work on the machine slows req/s, less so CPU per request).${traces}

${formatTable(
  ["endpoint", "req/s", "CPU ms/req", "p50 ms", "p99 ms", "RSS MiB", "failed"],
  rows.map((r) => [r.label, r.perSecond.toFixed(0), r.cpuPerRequest === null ? "–" : r.cpuPerRequest.toFixed(2), ms(r.p50), ms(r.p99), r.rss === null ? "–" : (r.rss / 1024 / 1024).toFixed(0), String(r.failed)]),
)}${healthTarget}`);

  if (options.profile) {
    const profileDir = path.join(scratch, "cpu-profile");
    await mkdir(profileDir, { recursive: true });
    checkpoint(`Profiling ${options.profile} under --cpu-prof …`);
    const profiled = await start("profile", { ...tracingEnv, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=200` });
    const endpoint = endpointsOf(profiled.baseUrl, await credentialsFor(profiled, owner, { clientId, clientSecret }), jobsPerWindow).find((e) => e.name === options.profile)!;
    await endpoint.before?.();
    for (let i = 0; i < options.warmup && !stopped.aborted; i++) await endpoint.call();
    // Only the samples of the load window count (start-up and warm-up are in the profile too).
    const window = { from: monotonicMicros(), to: 0 };
    const result = await measureThroughput(options.concurrency, options.seconds, endpoint.call, stopped);
    window.to = monotonicMicros();
    await profiled.stop(); // the profile is written as the server exits
    console.log(`
CPU profile of ${endpoint.label}${sink ? " (tracing on)" : ""}: ${result.completed} requests in ${options.seconds} s, ${options.concurrency} callers.
${summarizeProfile(await newestProfile(profileDir, options.keepProfile && path.resolve(options.keepProfile)), window, result.completed, options.top)}`);
  }
}
