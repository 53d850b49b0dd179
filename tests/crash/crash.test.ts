import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { makeSource, receive, subscribe } from "@/lib/events/test-kit";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";
import { createSchedule, updateSchedule } from "@/lib/schedules/save-schedule";
import { startFakeNotifyWebhook, type FakeNotifyWebhook } from "@/tests/fakes/notify-webhook";

// Exactly once, with the process dying. A real app process (tests/crash/worker.ts: the start-up
// recovery and the in-process driver of `npm start`, plus an agent) works through webhook events
// that create agent jobs, capture notes and send notifications, schedule slots that do the same,
// and the agent's completed research jobs, whose results become hub notes. Each round the test
// delivers more work and starts the process with a plan to die: SIGKILL at a named point between
// two writes (PA_CRASH_AT, lib/crash-point.ts), or from here after a random delay. A last round
// runs to the end. Then every accepted event must be processed once, every job, note and
// notification exist once, and no run be left open. It prints where the kills landed.

vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async () => {} }));

const ROOT = path.resolve(import.meta.dirname, "../..");
// The worker is bundled once (its packages stay external, so it lives under the repository to find
// node_modules) and started with Node's compile cache: each life then starts in about 2 s, not 5.
const WORKER = path.join(ROOT, ".cache", `crash-worker-${randomBytes(6).toString("hex")}.mjs`);
const COMPILE_CACHE = path.join(os.tmpdir(), "pa-crash-compile-cache");
const ROUND_TIMEOUT_MS = 30_000;

// Named windows: each is "after this commit, before that one".
const POINTS = [
  "run:before-finish", //          effects done (or in the run's open transaction), outcome not recorded
  "dispatch:after-claim", //       dispatch marked running, no run started
  "dispatch:before-settle", //     run closed, dispatch and event not
  "slot:after-claim", //           slot marked running, no run started
  "slot:before-close", //          run closed, slot not
  "job:before-result", //          job completed, its result handler not started
] as const;

type Plan = { crashAt?: string; killAfterMs?: number };
type Ending = "crash point" | "SIGKILL from the test" | "drained" | "drained before the kill" | "stuck (round timeout)";

// Deterministic windows first (the first and a later passage of each), then random kills, then a
// round that runs to the end. A seeded generator keeps a failure reproducible.
let seed = 15;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const PLANS: Plan[] = [
  ...POINTS.map((point) => ({ crashAt: `${point}@1` })),
  ...["run:before-finish", "dispatch:before-settle", "slot:before-close"].map((point) => ({ crashAt: `${point}@${2 + Math.floor(random() * 3)}` })),
  ...Array.from({ length: 3 }, () => ({ killAfterMs: 50 + Math.floor(random() * 700) })),
  {},
];

type Round = { plan: Plan; ending: Ending; ms: number; point?: string };

function runWorker(plan: Plan, notifyUrl: string): Promise<Round> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NOTIFY_WEBHOOK_URL: notifyUrl, PA_CRASH_AT: plan.crashAt ?? "", LOG_LEVEL: "silent", NODE_COMPILE_CACHE: COMPILE_CACHE };
    const child = spawn(process.execPath, [WORKER], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killedByUs = false;
    let timer: NodeJS.Timeout | undefined;
    let stuck = false;
    // A worker that never drains is a failure, reported with what the database holds (below).
    const deadline = setTimeout(() => {
      stuck = true;
      child.kill("SIGKILL");
    }, ROUND_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (plan.killAfterMs !== undefined && !timer && stdout.includes("ready")) {
        timer = setTimeout(() => {
          killedByUs = true;
          child.kill("SIGKILL");
        }, plan.killAfterMs);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on("exit", (code, signal) => {
      clearTimeout(deadline);
      clearTimeout(timer);
      const ms = Date.now() - started;
      const point = /crash-point (\S+): SIGKILL/.exec(stderr)?.[1];
      if (stuck) resolve({ plan, ending: "stuck (round timeout)", ms });
      else if (signal === "SIGKILL" && point) resolve({ plan, ending: "crash point", ms, point });
      else if (signal === "SIGKILL" && killedByUs) resolve({ plan, ending: "SIGKILL from the test", ms });
      else if (code === 0 && stdout.includes("drained")) resolve({ plan, ending: plan.killAfterMs !== undefined || plan.crashAt ? "drained before the kill" : "drained", ms });
      else reject(new Error(`the worker exited with ${code ?? signal} (plan ${JSON.stringify(plan)})\n${stderr}`));
    });
  });
}

let notify: FakeNotifyWebhook;
let secret: string;
const accepted: { eventId: string; type: "job" | "note" | "notify"; marker: string }[] = [];
const slotMarkers: { pipeline: "agent-jobs.create" | "notes.capture"; marker: string; schedule: string }[] = [];

async function deliverWave(round: number): Promise<void> {
  const send = async (type: "job" | "note" | "notify", n: number) => {
    const marker = `r${round}-${type}-${n}`;
    const payload =
      type === "job"
        ? { topic: marker, questions: ["What happened?"] }
        : type === "note"
          ? { title: marker, body: "captured from a webhook" }
          : { title: marker, message: "something happened" };
    const answer = await receive("crash", { secret, scheme: "standard", eventType: type, body: JSON.stringify({ type, ...payload }) });
    const body = answer.body as { eventId?: string; status?: string };
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    accepted.push({ eventId: body.eventId!, type, marker });
  };
  await Promise.all([send("job", 1), send("job", 2), send("note", 1), send("note", 2), send("notify", 1)]);
  for (const pipeline of ["agent-jobs.create", "notes.capture"] as const) {
    const marker = `r${round}-slot-${pipeline === "notes.capture" ? "note" : "job"}`;
    const input = pipeline === "notes.capture" ? { title: marker, body: "captured by a schedule" } : { kind: "research.brief", input: { topic: marker, questions: ["Why?"] } };
    const schedule = `crash-${round}-${pipeline === "notes.capture" ? "note" : "job"}`;
    await createSchedule({ name: schedule, cron: "0 0 1 1 *", timezone: "UTC", pipeline, input, enabled: false }, "crash-test");
    await runScheduleNow(schedule, "crash-test", async () => undefined);
    slotMarkers.push({ pipeline, marker, schedule });
  }
}

/** After a crash, a schedule edited before its slot ran again: the slot must still run what was due. */
async function editOpenSchedules(): Promise<void> {
  const open = await autocommit().scheduleSlot.findMany({ where: { status: { in: ["pending", "running"] } }, select: { schedule: { select: { name: true, pipeline: true } } } });
  for (const { schedule } of open) {
    const input = schedule.pipeline === "notes.capture" ? { title: "EDITED after the slot was claimed" } : { kind: "research.brief", input: { topic: "EDITED after the slot was claimed", questions: ["?"] } };
    await updateSchedule(schedule.name, { input });
  }
}

async function markdownUnder(root: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".md") || entry.name.startsWith(".")) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, text: await readFile(file, "utf8") });
  }
  return out;
}

const countBy = <T,>(items: T[], key: (item: T) => string) => items.reduce((m, i) => m.set(key(i), (m.get(key(i)) ?? 0) + 1), new Map<string, number>());

describe("crash safety: SIGKILL at any point, then restart", () => {
  beforeAll(async () => {
    await mkdir(path.dirname(WORKER), { recursive: true });
    await build({
      entryPoints: [path.join(ROOT, "tests/crash/worker.ts")],
      outfile: WORKER,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      alias: { "@": ROOT },
      absWorkingDir: ROOT,
      logLevel: "error",
    });
    notify = await startFakeNotifyWebhook();
    secret = (await makeSource("crash")).secret;
    await subscribe("crash", "job", "agent-jobs.create", { kind: "research.brief", input: { topic: "$.topic", questions: "$.questions" } });
    await subscribe("crash", "note", "notes.capture", { title: "$.title", body: "$.body" });
    await subscribe("crash", "notify", "notify.send", { title: "$.title", message: "$.message" });
  });
  afterAll(async () => {
    await notify?.close();
    await rm(WORKER, { force: true });
  });

  it("processes every accepted event once, creates every job, note and notification once, and leaves no run open", async () => {
    const started = Date.now();
    const rounds: Round[] = [];
    for (const [i, plan] of PLANS.entries()) {
      await deliverWave(i);
      rounds.push(await runWorker(plan, notify.url));
      if (rounds.at(-1)!.ending === "stuck (round timeout)") break;
      if (i === 0) await editOpenSchedules();
    }
    const db = autocommit();

    // Where the kills landed, and what recovery found.
    const table = [...countBy(rounds, (r) => (r.ending === "crash point" ? `crash point ${r.point!.replace(/@\d+$/, "")}` : r.ending)).entries()].sort();
    const runs = await db.pipelineRun.findMany({ select: { pipeline: true, status: true, error: true, attempt: true } });
    const interrupted = runs.filter((r) => (r.error as { code?: string } | null)?.code === "interrupted");
    console.log(
      [
        `crash test: ${rounds.length} process lives in ${((Date.now() - started) / 1000).toFixed(1)} s (${accepted.length} events, ${slotMarkers.length} schedule slots)`,
        "  kills and endings                                  lives",
        ...table.map(([what, n]) => `  ${what.padEnd(50)} ${String(n).padStart(5)}`),
        "  runs closed as interrupted by recovery, by pipeline",
        ...[...countBy(interrupted, (r) => r.pipeline).entries()].sort().map(([p, n]) => `  ${p.padEnd(50)} ${String(n).padStart(5)}`),
        `  runs that were a retry of interrupted work (attempt > 1): ${runs.filter((r) => r.attempt > 1).length}`,
      ].join("\n"),
    );

    const slotsLeft = await db.scheduleSlot.findMany({ where: { status: { not: "succeeded" } }, select: { id: true, status: true, reason: true, runId: true } });
    const eventsLeft = await db.webhookEvent.findMany({ where: { status: { not: "processed" } }, select: { id: true, status: true, error: true } });
    expect(rounds.filter((r) => r.ending === "stuck (round timeout)"), JSON.stringify({ slotsLeft, eventsLeft }, null, 1)).toEqual([]);

    // Every accepted event processed, each of its dispatches once.
    const events = await db.webhookEvent.findMany({ where: { id: { in: accepted.map((a) => a.eventId) } }, include: { dispatches: true } });
    expect(events.filter((e) => e.status !== "processed").map((e) => `${e.id} ${e.status} ${JSON.stringify(e.error)}`)).toEqual([]);
    expect(events.flatMap((e) => e.dispatches).filter((d) => d.status !== "succeeded")).toEqual([]);
    expect(events.every((e) => e.dispatches.length === 1)).toBe(true);

    // No run left open; every slot ran and succeeded.
    expect(runs.filter((r) => r.status === "running" || r.status === "queued")).toEqual([]);
    const slots = await db.scheduleSlot.findMany({ select: { id: true, status: true, reason: true, attempts: true } });
    const slotRuns = await db.pipelineRun.findMany({ where: { workKey: { startsWith: "schedule:" } }, select: { workKey: true, attempt: true, status: true, error: true } });
    expect(slots.filter((s) => s.status !== "succeeded"), JSON.stringify(slotRuns.filter((r) => r.status !== "succeeded"))).toEqual([]);

    // One job per job event and job slot; none from the edited schedules.
    const jobs = await db.agentJob.findMany({ select: { input: true, status: true, resultRunId: true } });
    const jobTopics = countBy(jobs, (j) => (j.input as { topic: string }).topic);
    const expectedTopics = [...accepted.filter((a) => a.type === "job").map((a) => a.marker), ...slotMarkers.filter((s) => s.pipeline === "agent-jobs.create").map((s) => s.marker)];
    expect([...jobTopics.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect([...jobTopics.keys()].sort()).toEqual(expectedTopics.sort());
    expect(jobs.filter((j) => j.status !== "succeeded" || !j.resultRunId)).toEqual([]);

    // One inbox note per note event and note slot; one research note per job.
    const hub = process.env.CONTEXT_HUB_DIR!;
    const titleOf = (text: string) => /^title: (.*)$/m.exec(text)?.[1]?.replace(/^["']|["']$/g, "") ?? "";
    const inbox = countBy(await markdownUnder(path.join(hub, "inbox")), (n) => titleOf(n.text));
    const expectedNotes = [...accepted.filter((a) => a.type === "note").map((a) => a.marker), ...slotMarkers.filter((s) => s.pipeline === "notes.capture").map((s) => s.marker)];
    expect([...inbox.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect([...inbox.keys()].sort()).toEqual(expectedNotes.sort());
    const research = (await markdownUnder(path.join(hub, "knowledge/research"))).filter((n) => /^job_id: /m.test(n.text));
    expect(research).toHaveLength(jobs.length);

    // One notification per notify event: a repeated delivery after a crash carries the same id.
    const deliveries = notify.received as { title: string; deliveryId: string }[];
    const idsPerTitle = new Map<string, Set<string>>();
    for (const d of deliveries) idsPerTitle.set(d.title, (idsPerTitle.get(d.title) ?? new Set()).add(d.deliveryId));
    expect([...idsPerTitle.entries()].filter(([, ids]) => ids.size > 1).map(([t]) => t)).toEqual([]);
    expect([...idsPerTitle.keys()].sort()).toEqual(accepted.filter((a) => a.type === "notify").map((a) => a.marker).sort());
    console.log(`  notifications: ${idsPerTitle.size} sent, ${deliveries.length - idsPerTitle.size} repeated with the same delivery id (dropped by the receiver)`);
  }, 170_000);
});
