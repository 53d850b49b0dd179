import { randomBytes } from "node:crypto";
import path from "node:path";
import { ulid } from "ulid";
import { Prisma } from "@/generated/prisma/client";
import { isTierFile } from "@/lib/context-hub/layout";
import type { Tx } from "@/lib/db/transaction";
import { allPipelines, findPipeline } from "@/lib/pipelines/catalog";
import type { Actor, AnyPipeline, RunTriggerName } from "@/lib/pipelines/define";
import { INTERRUPTED_ERROR } from "@/lib/pipelines/recover-runs";
import { actorScope, type RunError } from "@/lib/pipelines/runner";
import * as users from "@/lib/users/repository";
import {
  attempt,
  failure,
  openDemoHub,
  sampledPipelines,
  typicalDurationMs,
  typicalInput,
  type DemoHub,
  type SampledOutcome,
} from "./pipeline-run-samples";
import { createRng, type Rng } from "./random";
import { DEMO_MEMBER_EMAIL } from "./seed-users";
import type { Seeder } from "./types";

// Two weeks of pipeline runs for the runs list, the run pages and the dashboard's charts: every
// trigger and kind of actor, mostly successes, realistic failures (paths outside the hub, missing
// files, a timeout, a run cut off by a restart), cancellations, and a nightly schedule whose runs
// read files as child runs. Timestamps are historical, so rows are written directly; ids are
// ULIDs of the queued time, so listing by id lists by time as real runs do.
//
// Seeded runs carry a request id starting with SEED_REQUEST_PREFIX (real ones are req_<hex>),
// which is how replacing demo data deletes exactly these.

export const SEED_REQUEST_PREFIX = "req_seed_";
const DAYS = 14;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type ActorKey = "member" | "agent" | "schedule" | "event" | "cli";
type Outcome = "succeeded" | "failed" | "timeout" | "interrupted" | "cancelled";
type PlannedRun = {
  at: number;
  pipeline: string;
  trigger: RunTriggerName;
  actor: ActorKey;
  outcome: Outcome;
  /** The input, when it matters (scripted failures); otherwise a typical one. */
  input?: unknown;
  /** A nightly digest that reads what it found as child runs. */
  digest?: boolean;
};

const DEMO_ACTORS: Record<Exclude<ActorKey, "member">, Actor> = {
  agent: { type: "agent", id: "agt_demo", label: "openclaw-demo" },
  schedule: { type: "schedule", id: "sch_demo", label: "nightly digest" },
  event: { type: "event", id: "evt_demo", label: "note captured" },
  cli: { type: "system", label: "cli:alex@homelab" },
};

// Who uses what, and how often, during a working day.
const SCENARIOS: (readonly [number, { trigger: RunTriggerName; actor: ActorKey; pipeline: string }])[] = [
  [5, { trigger: "agent", actor: "agent", pipeline: "context.read" }],
  [4, { trigger: "agent", actor: "agent", pipeline: "context.search" }],
  [2, { trigger: "agent", actor: "agent", pipeline: "notes.capture" }],
  [2, { trigger: "api", actor: "agent", pipeline: "system.echo" }],
  [2, { trigger: "api", actor: "agent", pipeline: "notes.capture" }],
  [3, { trigger: "chat", actor: "member", pipeline: "context.read" }],
  [3, { trigger: "chat", actor: "member", pipeline: "context.search" }],
  [3, { trigger: "chat", actor: "member", pipeline: "notes.capture" }],
  [2, { trigger: "dashboard", actor: "member", pipeline: "context.search" }],
  [2, { trigger: "dashboard", actor: "member", pipeline: "context.read" }],
  [1, { trigger: "dashboard", actor: "member", pipeline: "system.echo" }],
  [1, { trigger: "dashboard", actor: "member", pipeline: "notes.capture" }],
  [1, { trigger: "event", actor: "event", pipeline: "context.search" }],
  [1, { trigger: "cli", actor: "cli", pipeline: "system.echo" }],
  [1, { trigger: "cli", actor: "cli", pipeline: "context.read" }],
];

// Always there, whatever the day of the week: every trigger, status and kind of failure.
const SCRIPTED: PlannedRun[] = [
  { at: 4 * MINUTE, pipeline: "system.echo", trigger: "cli", actor: "cli", outcome: "succeeded" },
  { at: 11 * MINUTE, pipeline: "system.echo", trigger: "api", actor: "agent", outcome: "succeeded" },
  { at: 38 * MINUTE, pipeline: "context.read", trigger: "agent", actor: "agent", outcome: "failed", input: { tier: "full", path: "../.env" } },
  { at: 2 * HOUR, pipeline: "context.search", trigger: "chat", actor: "member", outcome: "succeeded" },
  { at: 1 * DAY + 3 * HOUR, pipeline: "context.search", trigger: "event", actor: "event", outcome: "succeeded" },
  { at: 3 * DAY + 5 * HOUR, pipeline: "context.search", trigger: "dashboard", actor: "member", outcome: "cancelled" },
  { at: 5 * DAY + 2 * HOUR, pipeline: "context.search", trigger: "agent", actor: "agent", outcome: "timeout" },
  { at: 9 * DAY + 7 * HOUR, pipeline: "context.search", trigger: "dashboard", actor: "member", outcome: "interrupted" },
  { at: 12 * DAY + 4 * HOUR, pipeline: "notes.capture", trigger: "chat", actor: "member", outcome: "failed" },
];

function planRuns(now: Date, rng: Rng, available: Set<string>): PlannedRun[] {
  const plan: PlannedRun[] = SCRIPTED.map((run) => ({ ...run, at: now.getTime() - run.at }));
  const scenarios = SCENARIOS.filter(([, s]) => available.has(s.pipeline));
  for (let daysAgo = 0; daysAgo < DAYS; daysAgo++) {
    const day = new Date(now.getTime() - daysAgo * DAY);
    const weekend = day.getDay() === 0 || day.getDay() === 6;
    // The nightly digest at 02:00, reading what its search found as child runs every third night.
    const night = new Date(day).setHours(2, 0, rng.int(0, 20), rng.int(0, 999));
    if (available.has("context.search")) {
      const digest = daysAgo % 3 === 1;
      plan.push({ at: night, pipeline: "context.search", trigger: "schedule", actor: "schedule", outcome: "succeeded", digest });
    }
    for (let i = weekend ? 3 : 8; i > 0 && scenarios.length > 0; i--) {
      const scenario = rng.weighted(scenarios);
      const at = new Date(day).setHours(rng.int(8, 18), rng.int(0, 59), rng.int(0, 59), rng.int(0, 999));
      // Reads and searches fail on bad paths now and then; echo and capture hardly ever fail.
      // Only searches take long enough for anyone to cancel one.
      const roll = rng.next();
      const failureRate = scenario.pipeline.startsWith("context.") ? 0.12 : 0.03;
      const cancelRate = scenario.pipeline === "context.search" ? 0.07 : 0;
      const outcome: Outcome = roll < failureRate ? "failed" : roll < failureRate + cancelRate ? "cancelled" : "succeeded";
      plan.push({ at, ...scenario, outcome });
    }
  }
  // Today's later hours have not happened yet.
  const runs = plan.filter((run) => run.at < now.getTime() - MINUTE && available.has(run.pipeline)).sort((a, b) => a.at - b.at);
  // Distinct milliseconds, so ids (ULIDs of the queued time) sort exactly like queuedAt.
  for (let i = 1; i < runs.length; i++) runs[i]!.at = Math.max(runs[i]!.at, runs[i - 1]!.at + 1);
  return runs;
}

const runIdAt = (ms: number) => `run_${ulid(ms).toLowerCase()}`;

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

type Row = Prisma.PipelineRunCreateManyInput;

/** JSON as the runner stores it; a missing output or error is SQL NULL, as on real rows. */
function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

type Materialise = { hub: DemoHub; rng: Rng; actors: Record<ActorKey, Actor>; counters: { keys: number; digests: number } };

function openRow(pipeline: AnyPipeline, id: string, run: PlannedRun, actor: Actor, requestId: string, queuedAt: Date): Row {
  return {
    id,
    pipeline: pipeline.name,
    status: "succeeded",
    trigger: run.trigger,
    input: {},
    actorType: actor.type,
    actorId: actor.type === "system" ? null : actor.id,
    actorLabel: actor.label,
    tokenId: null,
    requestId,
    idempotencyKey: null,
    idempotencyScope: null,
    parentRunId: null,
    instanceId: null,
    timeoutMs: pipeline.timeoutMs,
    queuedAt,
  };
}

function closeRow(row: Row, outcome: SampledOutcome, startedAt: Date, durationMs: number, cancelled = false): Row {
  return {
    ...row,
    status: outcome.error ? (cancelled ? "cancelled" : "failed") : "succeeded",
    input: toJson(outcome.input) as Prisma.InputJsonValue,
    output: outcome.error ? Prisma.DbNull : toJson(outcome.output),
    error: outcome.error ? toJson(outcome.error) : Prisma.DbNull,
    startedAt,
    finishedAt: new Date(startedAt.getTime() + durationMs),
    durationMs,
  };
}

// The nightly digest searches for what is happening this week, then reads what it found.
const DIGEST_INPUT = { query: "week" };
const FILED_NOTE = "inbox/2025-01-06-repurpose-newsletter-into-shorts-2.md";

/** One planned run as rows: itself, and on digest nights its child reads. */
async function materialise(run: PlannedRun, m: Materialise): Promise<Row[]> {
  const pipeline = findPipeline(run.pipeline)!;
  const actor = m.actors[run.actor];
  const startedAt = new Date(run.at + m.rng.int(0, 3));
  const id = runIdAt(run.at);
  const sample = { runId: id, actor, trigger: run.trigger, startedAt };
  const row = openRow(pipeline, id, run, actor, `${SEED_REQUEST_PREFIX}${randomBytes(12).toString("hex")}`, new Date(run.at));
  const rawInput = run.actor === "schedule" ? DIGEST_INPUT : typicalInput(pipeline, m.rng, actor);
  const stopped = async (error: RunError) => ({ input: (await attempt(pipeline, rawInput, m.hub, sample)).input, error });

  let failed: SampledOutcome | null = null;
  if (run.outcome === "failed") {
    failed = run.input ? await attempt(pipeline, run.input, m.hub, sample) : await failure(pipeline, m.rng, m.hub, sample);
  }
  if (failed) return [closeRow(row, failed, startedAt, typicalDurationMs(pipeline, m.rng))];
  if (run.outcome === "timeout") {
    const timeout = { code: "timeout", message: `Timed out after ${formatSeconds(pipeline.timeoutMs)}` };
    return [closeRow(row, await stopped(timeout), startedAt, pipeline.timeoutMs + m.rng.int(1, 15))];
  }
  if (run.outcome === "cancelled") {
    const by = run.actor === "cli" ? actor.label : DEMO_MEMBER_EMAIL;
    const cancelled = await stopped({ code: "cancelled", message: `Cancelled by ${by}` });
    return [closeRow(row, cancelled, startedAt, m.rng.int(1_500, 9_000), true)];
  }
  // Interrupted, or failed without a failure of its own (echo has none): the app restarted mid-run.
  if (run.outcome !== "succeeded") return [closeRow(row, await stopped(INTERRUPTED_ERROR), startedAt, m.rng.int(45_000, 95_000))];

  if (run.actor === "agent" && run.pipeline === "notes.capture") {
    row.idempotencyKey = `openclaw-capture-${m.counters.keys++}`;
    row.idempotencyScope = actorScope(actor);
  }
  const result = await attempt(pipeline, rawInput, m.hub, sample);
  const read = findPipeline("context.read");
  const matches = (result.output as { matches?: { path: string }[] } | undefined)?.matches ?? [];
  const paths = [...new Set(matches.map((match) => match.path).filter((file) => !isTierFile(path.basename(file))))].slice(0, 3);
  if (!run.digest || !read || paths.length === 0) return [closeRow(row, result, startedAt, typicalDurationMs(pipeline, m.rng))];

  // Every other digest finds a note that was filed away after the search: the child read fails,
  // and with it the parent, as the runner reports a failed child.
  if (m.counters.digests++ % 2 === 1) paths[paths.length - 1] = FILED_NOTE;
  const children: Row[] = [];
  let clock = startedAt.getTime() + typicalDurationMs(pipeline, m.rng);
  for (const file of paths) {
    const childQueued = ++clock;
    const childStarted = new Date(childQueued + m.rng.int(0, 2));
    const childId = runIdAt(childQueued);
    const outcome = await attempt(read, { tier: "full", path: file }, m.hub, { ...sample, runId: childId, startedAt: childStarted });
    const durationMs = typicalDurationMs(read, m.rng);
    const child = { ...openRow(read, childId, run, actor, row.requestId!, new Date(childQueued)), parentRunId: id };
    children.push(closeRow(child, outcome, childStarted, durationMs));
    clock = childStarted.getTime() + durationMs;
    if (outcome.error) {
      const message = `The child pipeline context.read failed: ${outcome.error.message}`;
      const error = { code: "conflict", message, details: { childRunId: childId } };
      return [closeRow(row, { input: result.input, error }, startedAt, clock + 2 - startedAt.getTime()), ...children];
    }
  }
  return [closeRow(row, result, startedAt, clock + 2 - startedAt.getTime()), ...children];
}

const seededRunsWhere: Prisma.PipelineRunWhereInput = { requestId: { startsWith: SEED_REQUEST_PREFIX } };

export const pipelineRunsSeeder: Seeder = {
  name: "pipeline runs",

  async exists(tx: Tx) {
    return (await tx.pipelineRun.count({ where: seededRunsWhere })) > 0;
  },

  async seed({ tx, now }) {
    const member = await users.findUserByEmail(tx, DEMO_MEMBER_EMAIL);
    if (!member) throw new Error(`The pipeline runs seeder needs the demo user ${DEMO_MEMBER_EMAIL}; seed users first`);
    const pipelines = sampledPipelines(allPipelines());
    const actors: Record<ActorKey, Actor> = { ...DEMO_ACTORS, member: { type: "user", id: member.id, label: member.email } };
    const plan = planRuns(now, createRng(20_260_101), new Set(pipelines.map((p) => p.name)));

    const hub = await openDemoHub(new Date(now.getTime() - (DAYS + 1) * DAY));
    const rows: Row[] = [];
    try {
      const m: Materialise = { hub, rng: createRng(7), actors, counters: { keys: 1, digests: 0 } };
      for (const run of plan) rows.push(...(await materialise(run, m)));
    } finally {
      await hub.close();
    }

    const replaced = (await tx.pipelineRun.deleteMany({ where: seededRunsWhere })).count;
    // Parents before children, for the foreign key.
    await tx.pipelineRun.createMany({ data: [...rows].sort((a, b) => (a.id < b.id ? -1 : 1)) });

    const count = (status: string) => rows.filter((r) => r.status === status).length;
    const children = rows.filter((r) => r.parentRunId).length;
    return {
      title: "Pipeline runs",
      counts: { runs: rows.length, succeeded: count("succeeded"), failed: count("failed"), cancelled: count("cancelled"), children },
      lines: [
        `${rows.length} over the last ${DAYS} days: ${count("succeeded")} succeeded, ${count("failed")} failed, ${count("cancelled")} cancelled`,
        `pipelines: ${pipelines.map((p) => p.name).join(", ")}`,
        `${children} of the runs are child runs of the nightly digest`,
        ...(replaced > 0 ? [`replaced ${replaced} earlier demo runs`] : []),
      ],
    };
  },
};
