import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PgBoss } from "pg-boss";
import { createAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";
import { stopResultHandlers } from "@/lib/jobs/result-handler";
import { freePort } from "../../tests/setup/database";
import { startBenchDatabase } from "./bench-database";
import { startAppServer } from "./app-server";
import { creationVerdict, measureJobCreation, type CreationRow } from "./job-creation";
import { checkpoint, onCleanup, stopped } from "./lifecycle";
import { formatTable, ms, processTreeCpu, summarize, type Summary } from "./measure";

// The agent jobs benchmark itself (see jobs.ts for what it measures and how to run it).

const KIND = "content.draft";
const INPUT = { brief: "A benchmark job", format: "email", tone: "plain" };
const RESULT = { title: "Done", body: "The benchmark result", notes: "" };

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

async function drain(path: string, agents: number, expected: number, take: (agent: number) => Take, clocks: Clocks): Promise<Row> {
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
  return { path, agents, jobs: samples.length, seconds, summary: summarize(samples), doubles, errors, appCpu: appCpu(), dbCpu: dbCpu() };
}

async function queueJobs(count: number): Promise<void> {
  const now = new Date();
  for (let i = 0; i < count; i += 1000) {
    await getDb().agentJob.createMany({
      data: Array.from({ length: Math.min(1000, count - i) }, () => ({
        id: newId("job"),
        kind: KIND,
        input: INPUT,
        maxAttempts: 3,
        leaseMs: 300_000,
        maxRuntimeMs: 1_800_000,
        availableAt: now,
      })),
    });
  }
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

  // Warm-up: connections, prepared plans, JIT of the hot path.
  await queueJobs(200);
  await drain("warm-up", 4, 200, () => async () => {
    const [job] = await claimJobs(principal);
    return job ? { id: job.id, finish: async () => void (await completeJob(principal, job.id, job.leaseId, RESULT)) } : null;
  }, inProcess);

  // Created as research.brief jobs, which the benchmark's agent (content.draft only) never claims.
  const creation = await measureJobCreation({ jobs: count, bulkSize: options.bulkSize, clocks: inProcess });

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
    await server.stop();
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
      for (let i = 0; i < n; i += 1000) await boss.insert(queue, Array.from({ length: Math.min(1000, n - i) }, () => ({ data: INPUT })));
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
CPU is milliseconds per job: "app" is this process (service, pg-boss) or the app server (HTTP), "pg" is PostgreSQL.

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

function comparison(rows: Row[]): string {
  const lines: string[] = [];
  for (const row of rows.filter((r) => r.path === "service")) {
    const boss = rows.find((r) => r.path === "pg-boss" && r.agents === row.agents);
    if (!boss) continue;
    const ratio = row.jobs / row.seconds / (boss.jobs / boss.seconds);
    lines.push(`${row.agents} agents: service ${ratio >= 1 ? "≥" : "<"} pg-boss (${ratio.toFixed(2)}×)`);
  }
  return lines.join("\n");
}
