import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PgBoss } from "pg-boss";
import { createAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { getDb } from "@/lib/db/client";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";
import { pendingResultHandlers, stopResultHandlers } from "@/lib/jobs/result-handler";
import { freePort } from "../../tests/setup/database";
import { startBenchDatabase } from "./bench-database";
import { startAppServer } from "./app-server";
import { creationVerdict, measureJobCreation, type CreationRow } from "./job-creation";
import { checkpoint, onCleanup, stopped } from "./lifecycle";
import { BENCH_JOB, queueJobs } from "./queue-jobs";
import { formatTable, ms, processTreeCpu, summarize, type Summary } from "./measure";

// The agent jobs benchmark itself (see jobs.ts for what it measures and how to run it).

const KIND = BENCH_JOB.kind;
const RESULT = BENCH_JOB.result;

export type JobsBenchOptions = { jobs: number; levels: number[]; bulkSize: number; httpSkipped: string | null; pgBoss: boolean; logLevel: string };

type Row = {
  path: string;
  agents: number;
  jobs: number;
  seconds: number;
  summary: Summary;
  doubles: number;
  errors: number;
  /** CPU milliseconds per job of the process doing the work (this one, or the app server) and of PostgreSQL. */
  appCpu: number | null;
  dbCpu: number | null;
};

/** Reads a CPU time counter in milliseconds; null where it cannot be read. */
type CpuClock = () => number | null;

const thisProcessCpu: CpuClock = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** PostgreSQL's CPU (the postmaster and its backends), when it runs on this machine. */
async function databaseCpuClock(): Promise<CpuClock> {
  const [row] = await getDb().$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  let postmaster: number | null = null;
  try {
    postmaster = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${row!.pid}/status`, "utf8"))?.[1]);
  } catch {
    // not a local server, or not Linux
  }
  return () => (postmaster ? processTreeCpu(postmaster) : null);
}

const perJob = (clock: CpuClock, jobs: number) => {
  const start = clock();
  return () => {
    const end = clock();
    return start === null || end === null || jobs === 0 ? null : (end - start) / jobs;
  };
};

/** One worker: take a job, finish it, record how long the pair took; stops when there is nothing left. */
type Take = () => Promise<{ id: string; finish: () => Promise<void> } | null>;

type Clocks = { app: CpuClock; db: CpuClock };

/**
 * Completions start result handlers in the background of this process (the service rows'); a row
 * starts once the previous rows' have finished, so their work is not counted against the next
 * path (pg-boss's rows come after the service's).
 */
/**
 * Waits until every completed job's result handler has finished, in this process and in the app
 * server alike (read from the database: a succeeded job without a finished result run), so each
 * row's CPU includes the handlers its completions started and no row pays for the one before.
 */
async function quiesce(): Promise<void> {
  const deadline = performance.now() + QUIESCE_LIMIT_MS;
  while (!stopped.aborted && (pendingResultHandlers() > 0 || (await unfinishedResultHandlers()) > 0)) {
    if (performance.now() > deadline) {
      checkpoint(`Result handlers still unfinished after ${QUIESCE_LIMIT_MS / 1000} s; measuring on (the figures below undercount them)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const QUIESCE_LIMIT_MS = 120_000;

async function unfinishedResultHandlers(): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM agent_jobs j LEFT JOIN pipeline_runs r ON r.id = j.result_run_id
     WHERE j.kind = ${KIND} AND j.status = 'succeeded' AND r.finished_at IS NULL`;
  return row?.n ?? 0;
}

async function drain(path: string, agents: number, expected: number, take: (agent: number) => Take, clocks: Clocks): Promise<Row> {
  await quiesce();
  const seen = new Set<string>();
  const samples: number[] = [];
  let doubles = 0;
  let errors = 0;
  const appCpu = perJob(clocks.app, expected);
  const dbCpu = perJob(clocks.db, expected);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: agents }, async (_, agent) => {
      const next = take(agent);
      while (!stopped.aborted) {
        const t0 = performance.now();
        let job;
        try {
          job = await next();
        } catch (error) {
          if (++errors > 20) throw error;
          continue;
        }
        if (!job) return;
        if (seen.has(job.id)) doubles++;
        seen.add(job.id);
        try {
          await job.finish();
        } catch {
          errors++;
        }
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (seen.size !== expected) errors += Math.abs(expected - seen.size);
  // The CPU of the result handlers still going after the last completion is the row's too (in this
  // process for the service rows, in the app server for HTTP and MCP): part of what a completion costs.
  await quiesce();
  return { path, agents, jobs: samples.length, seconds, summary: summarize(samples), doubles, errors, appCpu: appCpu(), dbCpu: dbCpu() };
}

/** scripts/bench/sql-floor-server.ts in its own process, so its CPU is read on its own. */
async function startSqlFloor(databaseUrl: string, principal: AgentPrincipal): Promise<{ baseUrl: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "sql-floor-server.ts")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_PRINCIPAL: JSON.stringify(principal) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const stop = () => void (child.exitCode === null && child.kill("SIGKILL"));
  process.once("exit", stop);
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once("message", (message) => resolve(message as { port: number }));
    child.once("exit", (code) => reject(new Error(`the node:http floor exited (${code}) before listening`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}

/** Jobs that the database says were claimed more than once (by claim events): must be 0. */
async function doubleClaimsInDatabase(): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT job_id FROM agent_job_events WHERE type = 'claimed' GROUP BY job_id HAVING count(*) > 1) d`;
  return Number(row?.n ?? 0);
}

export async function runJobsBenchmark(options: JobsBenchOptions): Promise<void> {
  const { jobs: count, levels, httpSkipped, logLevel } = options;
  const { scratch, url: databaseUrl } = await startBenchDatabase({ name: "jobs", logLevel });
  // Completions start result pipelines in the background; they must not outlive the database.
  onCleanup("stop the result handlers", () => stopResultHandlers());
  const [pg] = await getDb().$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;

  const { agent, clientId, clientSecret } = await createAgent({ name: "bench-agent", jobKinds: [KIND] }, null);
  const inProcess: Clocks = { app: thisProcessCpu, db: await databaseCpuClock() };
  const principal: AgentPrincipal = { agentId: agent.id, agentName: agent.name, tokenId: "tok_bench", jobKinds: [KIND], pipelines: [] };
  const rows: Row[] = [];

  // Created as research.brief jobs, which the benchmark's agent (content.draft only) never claims.
  // First, while nothing else runs: the drains' completions start result pipelines (hub notes)
  // that go on in the background for seconds after.
  const creation = await measureJobCreation({ jobs: count, bulkSize: options.bulkSize, clocks: inProcess });

  // Warm-up: connections, prepared plans, JIT of the hot path.
  await queueJobs(200);
  await drain("warm-up", 4, 200, () => async () => {
    const [job] = await claimJobs(principal);
    return job ? { id: job.id, finish: async () => void (await completeJob(principal, job.id, job.leaseId, RESULT)) } : null;
  }, inProcess);

  for (const agents of levels) {
    checkpoint(`Service: ${count} jobs, ${agents} concurrent agents …`);
    await queueJobs(count);
    rows.push(
      await drain("service", agents, count, () => async () => {
        const [job] = await claimJobs(principal);
        return job ? { id: job.id, finish: async () => void (await completeJob(principal, job.id, job.leaseId, RESULT)) } : null;
      }, inProcess),
    );
  }

  if (!httpSkipped) {
    const dataDir = path.join(scratch, "data");
    await mkdir(dataDir, { recursive: true });
    checkpoint("Starting the app with `next start` …");
    const server = startAppServer({ port: await freePort(), databaseUrl, dataDir, logLevel });
    onCleanup("stop the app server", () => server.stop());
    await server.ready(stopped);
    const { access_token: token } = await exchangeClientCredentials(clientId, clientSecret, "127.0.0.1", "bench");
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const post = async (urlPath: string, body: unknown) => {
      const res = await fetch(`${server.baseUrl}${urlPath}`, { method: "POST", headers, body: JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`POST ${urlPath} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    };
    const take: Take = async () => {
      const { jobs } = (await post("/api/agent/jobs/claim", { limit: 1 })) as { jobs: { id: string; leaseId: string }[] };
      const job = jobs[0];
      return job ? { id: job.id, finish: async () => void (await post(`/api/agent/jobs/${job.id}/complete`, { leaseId: job.leaseId, result: RESULT })) } : null;
    };
    const overHttp: Clocks = { app: () => processTreeCpu(server.pid), db: inProcess.db };
    await queueJobs(200);
    await drain("warm-up", 4, 200, () => take, overHttp);
    for (const agents of levels) {
      checkpoint(`HTTP: ${count} jobs, ${agents} concurrent agents …`);
      await queueJobs(count);
      rows.push(await drain("HTTP", agents, count, () => take, overHttp));
    }

    // The same pair as MCP tool calls (stateless Streamable HTTP, one JSON-RPC message per POST).
    let rpcId = 0;
    const callTool = async (name: string, args: unknown) => {
      const res = await fetch(`${server.baseUrl}/api/agent/mcp`, {
        method: "POST",
        headers: { ...headers, accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/call", params: { name, arguments: args } }),
      });
      const json = (await res.json()) as { result?: { structuredContent?: Record<string, unknown>; isError?: boolean }; error?: unknown };
      if (res.status !== 200 || !json.result || json.result.isError) throw new Error(`MCP ${name} answered ${res.status}: ${JSON.stringify(json)}`);
      return json.result.structuredContent ?? {};
    };
    const takeByMcp: Take = async () => {
      const { jobs } = (await callTool("jobs_claim", { limit: 1 })) as { jobs: { jobId: string; leaseId: string }[] };
      const job = jobs[0];
      return job ? { id: job.jobId, finish: async () => void (await callTool("jobs_complete", { jobId: job.jobId, leaseId: job.leaseId, result: RESULT })) } : null;
    };
    await queueJobs(200);
    await drain("warm-up", 4, 200, () => takeByMcp, overHttp);
    for (const agents of levels) {
      checkpoint(`MCP: ${count} jobs, ${agents} concurrent agents …`);
      await queueJobs(count);
      rows.push(await drain("MCP", agents, count, () => takeByMcp, overHttp));
    }
    await server.stop();

    checkpoint("Floor: node:http with the same service calls …");
    const floor = await startSqlFloor(databaseUrl, principal);
    onCleanup("stop the node:http floor", async () => floor.stop());
    const overFloor: Clocks = { app: () => processTreeCpu(floor.pid), db: inProcess.db };
    const postFloor = async (urlPath: string, body: unknown) => {
      const res = await fetch(`${floor.baseUrl}${urlPath}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`floor ${urlPath} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    };
    const takeFromFloor: Take = async () => {
      const { jobs } = (await postFloor("/jobs/claim", {})) as { jobs: { id: string; leaseId: string }[] };
      const job = jobs[0];
      return job ? { id: job.id, finish: async () => void (await postFloor(`/jobs/${job.id}/complete`, { leaseId: job.leaseId, result: RESULT })) } : null;
    };
    await queueJobs(200);
    await drain("warm-up", 4, 200, () => takeFromFloor, overFloor);
    for (const agents of levels) {
      checkpoint(`Floor: ${count} jobs, ${agents} concurrent agents …`);
      await queueJobs(count);
      rows.push(await drain("node:http floor", agents, count, () => takeFromFloor, overFloor));
    }
    floor.stop();
  }
  const databaseDoubles = await doubleClaimsInDatabase();

  if (options.pgBoss) {
    checkpoint("pg-boss: starting on the same database …");
    // The same pool size as the app's Prisma client (10), no background maintenance during the runs.
    const boss = new PgBoss({ connectionString: databaseUrl, max: 10, schedule: false, supervise: false });
    boss.on("error", (error) => console.error(`[bench] pg-boss: ${error.message}`));
    await boss.start();
    onCleanup("stop pg-boss", () => boss.stop({ graceful: false }));
    const queue = "bench";
    await boss.createQueue(queue);
    const send = async (n: number) => {
      for (let i = 0; i < n; i += 1000) await boss.insert(queue, Array.from({ length: Math.min(1000, n - i) }, () => ({ data: BENCH_JOB.input })));
    };
    const take: Take = async () => {
      const [job] = await boss.fetch(queue);
      return job ? { id: job.id, finish: async () => void (await boss.complete(queue, job.id, RESULT)) } : null;
    };
    await send(200);
    await drain("warm-up", 4, 200, () => take, inProcess);
    for (const agents of levels) {
      checkpoint(`pg-boss: ${count} jobs, ${agents} concurrent workers …`);
      await send(count);
      rows.push(await drain("pg-boss", agents, count, () => take, inProcess));
    }
  }
  checkpoint();

  console.log(`
Agent jobs benchmark — Node ${process.version}, PostgreSQL ${pg?.version ?? "?"} (throw-away cluster), ${os.cpus().length} CPUs, log level ${logLevel}
${count} jobs per row, drained by N concurrent agents: claim (limit 1) + complete with a schema-checked result.
Latency is one claim + complete; "double" counts jobs handed out twice (must be 0). Pool size 10 for both.
CPU is milliseconds per job: "app" is this process (service, pg-boss), the app server (HTTP, MCP) or the floor's process, "pg" is PostgreSQL.
Every row's CPU includes its result handlers (hub notes) until the last one has finished (in the app server for HTTP and MCP).
MCP: the same pair as tools/call jobs_claim + jobs_complete on /api/agent/mcp. node:http floor: the same service calls behind plain
node:http in its own process (no Next.js, no route wrapper, no token check): what the edge would cost at best.

${formatTable(
  ["path", "agents", "jobs", "jobs/s", "p50 ms", "p99 ms", "app CPU", "pg CPU", "double", "errors"],
  rows.map((r) => [
    r.path,
    String(r.agents),
    String(r.jobs),
    (r.jobs / r.seconds).toFixed(0),
    ms(r.summary.p50),
    ms(r.summary.p99),
    r.appCpu === null ? "–" : r.appCpu.toFixed(2),
    r.dbCpu === null ? "–" : r.dbCpu.toFixed(2),
    String(r.doubles),
    String(r.errors),
  ]),
)}
${httpSkipped ? `HTTP: skipped (${httpSkipped})\n` : ""}
Jobs claimed more than once according to the database's claim events: ${databaseDoubles}
${comparison(rows)}

Job creation through the agent-jobs.create pipeline, in this process: each call is one run (validate, record the
run, insert the jobs with their "created" events, close the run). Latency is per call; CPU is milliseconds per job.

${creationTable(creation)}
${creationVerdict(creation)}`);
}

function creationTable(rows: CreationRow[]): string {
  return formatTable(
    ["mode", "callers", "jobs/call", "jobs", "jobs/s", "p50 ms", "p99 ms", "app CPU", "pg CPU", "errors"],
    rows.map((r) => [
      r.mode,
      String(r.callers),
      String(r.perRun),
      String(r.jobs),
      (r.jobs / r.seconds).toFixed(0),
      ms(r.summary.p50),
      ms(r.summary.p99),
      r.appCpu === null ? "–" : r.appCpu.toFixed(3),
      r.dbCpu === null ? "–" : r.dbCpu.toFixed(3),
      String(r.errors),
    ]),
  );
}

const perSecond = (row: Row) => row.jobs / row.seconds;

/** The paths against pg-boss in the same run, and the HTTP and MCP targets (issue #17), at each level. */
function comparison(rows: Row[]): string {
  const lines: string[] = [];
  const find = (path: string, agents: number) => rows.find((r) => r.path === path && r.agents === agents);
  for (const boss of rows.filter((r) => r.path === "pg-boss")) {
    const ratios = ["service", "HTTP", "MCP", "node:http floor"].flatMap((path) => {
      const row = find(path, boss.agents);
      return row ? [`${path} ${(perSecond(row) / perSecond(boss)).toFixed(2)}×`] : [];
    });
    lines.push(`${boss.agents} agents, against pg-boss: ${ratios.join(", ")}`);
  }
  const http = find("HTTP", 8);
  const mcp = find("MCP", 8);
  const boss = find("pg-boss", 8);
  if (http && boss) {
    const ratio = perSecond(http) / perSecond(boss);
    const checks = [
      `HTTP ≥ 1.0× pg-boss: ${ratio.toFixed(2)}× ${ratio >= 1 ? "PASS" : ratio >= 0.5 ? "FAIL (above the 0.5× floor)" : "FAIL"}`,
      `HTTP app CPU ≤ 2 ms/job: ${http.appCpu?.toFixed(2) ?? "–"} ${http.appCpu !== null && http.appCpu <= 2 ? "PASS" : "FAIL"}`,
      `HTTP p99 < 50 ms: ${ms(http.summary.p99)} ${http.summary.p99 < 50 ? "PASS" : "FAIL"}`,
      ...(mcp ? [`MCP within 1.5× of HTTP: ${(perSecond(http) / perSecond(mcp)).toFixed(2)}× ${perSecond(mcp) * 1.5 >= perSecond(http) ? "PASS" : "FAIL"}`] : []),
      `no double claims: ${rows.reduce((n, r) => n + r.doubles, 0) === 0 ? "PASS" : "FAIL"}`,
    ];
    lines.push(`Targets at 8 agents (idle 2-core machine): ${checks.join("; ")}`);
  }
  return lines.join("\n");
}
