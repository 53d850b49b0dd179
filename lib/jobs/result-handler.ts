import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { currentInstanceId } from "@/lib/instances";
import { getLogger } from "@/lib/logger";
import { allJobKinds, findJobKind } from "@/lib/jobs/kinds";
import * as jobs from "@/lib/jobs/jobs.repository";
import { getPipeline } from "@/lib/pipelines/catalog";
import type { Actor, AnyPipeline } from "@/lib/pipelines/define";
import { launchRun, startRun, waitForRun, type StartedRun } from "@/lib/pipelines/runner";
import { INTERRUPTED_ERROR } from "@/lib/pipelines/recover-runs";
import * as runs from "@/lib/pipelines/runs.repository";
import { createWriteBatcher } from "@/lib/db/write-batcher";

// A succeeded job's result becomes real work through its kind's result pipeline, started through
// the runner so it is recorded like any run. The idempotency key is derived from the job id: a
// repeated completion, a second instance noticing the same job, or the sweep all get the one run
// back instead of a second one. A retry (after the run failed) uses a key derived from the failed
// run, so two clicks on "retry" also start one run; the pipelines themselves check what they wrote.

export const resultKey = (jobId: string) => `job-result:${jobId}`;

const handlerActor = (jobId: string): Actor => ({ type: "system", label: `result of ${jobId}` });

async function start(job: jobs.JobResultState, key: string): Promise<StartedRun | null> {
  const kind = findJobKind(job.kind);
  if (!kind?.resultPipeline || job.status !== "succeeded") return null;
  const started = await startRun(getPipeline(kind.resultPipeline), { jobId: job.id }, {
    trigger: "agent",
    actor: handlerActor(job.id),
    idempotencyKey: key,
    workKey: resultKey(job.id),
    resolve: getPipeline,
  });
  started.completion.catch(() => {}); // the run records its own failure; nobody else awaits it here
  if (job.resultRunId !== started.run.id) {
    await jobs.setResultRun(autocommit(), job.id, started.run.id);
  }
  return started;
}

/** Starts the result handler of a succeeded job (once per job); null when its kind has none. */
export async function startResultHandler(jobId: string): Promise<StartedRun | null> {
  // Only the columns deciding whether and how to start: the pipeline reads the job itself (it
  // takes only the job id, so nobody can hand it a forged result).
  const job = await jobs.findJobResultState(autocommit(), jobId);
  if (!job) throw new AppError("not_found", `There is no job ${jobId}`);
  return start(job, resultKey(jobId));
}

/** Like startResultHandler, but never throws: the job's completion stands, and the sweep retries. */
export async function startResultHandlerSafely(jobId: string): Promise<string | null> {
  try {
    return (await startResultHandler(jobId))?.run.id ?? null;
  } catch (error) {
    getLogger({ component: "jobs", jobId }).error({ err: error }, "could not start the job's result handler; the sweep will retry");
    return null;
  }
}

/** Jobs whose handlers start together in one round, and the most handlers running at once. */
const ROUND_SIZE = 32;
/**
 * How long a round that is not full waits after the start of the previous one. A round rebuilds
 * the hub folder's tiers (a listing of the folder: ≈4 ms of CPU with a few thousand notes); under
 * a trickle of completions (one agent) rounds of a job or two would each pay for one. A full round
 * with nothing running starts at once, and a completion after a quiet spell too.
 */
const ROUND_INTERVAL_MS = 100;
type Completed = { jobId: string; kind: string };
const background = {
  /** Handlers started and not finished (at most ROUND_SIZE). */
  running: 0,
  /** A round is being recorded: the next one waits for that statement. */
  starting: false,
  queue: [] as Completed[],
  idle: [] as (() => void)[],
  next: null as { timer: NodeJS.Timeout; now: boolean } | null,
  lastRound: -Infinity,
};

/** The ends of the handlers' runs, written together: a round's runs finish at about the same time. */
const runEnds = createWriteBatcher<runs.RunFinish, boolean>(async (items) => {
  const closed = await runs.finishRuns(autocommit(), items);
  return items.map((item) => closed.has(item.id));
});

/**
 * Starts the handler after a completion, in the background, in rounds of up to 32 jobs in this
 * process, with at most 32 handlers running: a round's runs are recorded and linked in one
 * statement, the jobs their pipelines read are read together and their ends are written together,
 * so a burst of completions takes a few database connections at most and never starves agents'
 * claims. A slow handler (a Gmail call waiting out its timeout) holds only its own place: the next
 * round takes the room the finished ones left. A queue lost with the process is picked up by the
 * sweep (startMissingResultHandlers).
 */
export function queueResultHandler(job: Completed): void {
  background.queue.push(job);
  scheduleRound();
}

function scheduleRound(): void {
  if (background.starting || background.running >= ROUND_SIZE || background.queue.length === 0) return;
  const now = background.running === 0 && background.queue.length >= ROUND_SIZE;
  if (background.next && (background.next.now || !now)) return;
  if (background.next) clearTimeout(background.next.timer);
  const wait = now ? 0 : Math.max(0, background.lastRound + ROUND_INTERVAL_MS - performance.now());
  background.next = { timer: setTimeout(runNextRound, wait), now };
}

function runNextRound(): void {
  background.next = null;
  const room = ROUND_SIZE - background.running;
  if (background.starting || room <= 0 || background.queue.length === 0) return;
  background.lastRound = performance.now();
  const round = background.queue.splice(0, room);
  background.running += round.length;
  background.starting = true;
  void runRound(round);
}

/** One handler of a round is done (or a place held for a duplicate is given back). */
function handlerDone(count = 1): void {
  background.running -= count;
  if (background.queue.length > 0) scheduleRound();
  else if (background.running === 0 && !background.starting) for (const resolve of background.idle.splice(0)) resolve();
}

async function runRound(round: Completed[]): Promise<void> {
  let started: StartedRun[] = [];
  let rest = [...new Set(round.map((job) => job.jobId))];
  try {
    ({ started, rest } = await startRound(round));
  } catch (error) {
    getLogger({ component: "jobs" }).error({ err: error, jobIds: rest }, "could not start a round of result handlers; each is tried on its own");
  } finally {
    background.starting = false;
  }
  // A job completed twice in one round runs once: its second place is free again at once.
  handlerDone(round.length - started.length - rest.length);
  for (const run of started) void run.completion.catch(() => {}).finally(() => handlerDone());
  // Those not started with the round (a repeated completion, a run already holding the key): one at a time.
  for (const jobId of rest) {
    void startResultHandler(jobId)
      .then((alone) => alone?.completion)
      .catch((error: unknown) => getLogger({ component: "jobs", jobId }).error({ err: error }, "could not start the job's result handler; the sweep will retry"))
      .finally(() => handlerDone());
  }
}

/**
 * Records and links the runs of the jobs that have no result run yet (startResultRuns) and
 * launches them; returns them and the jobs left for startResultHandler.
 */
async function startRound(round: Completed[]): Promise<{ started: StartedRun[]; rest: string[] }> {
  const candidates = new Map<string, { pipeline: AnyPipeline; input: unknown; start: jobs.ResultRunStart }>();
  for (const { jobId, kind: kindName } of round) {
    const kind = findJobKind(kindName);
    if (!kind?.resultPipeline || candidates.has(jobId)) continue;
    const pipeline = getPipeline(kind.resultPipeline);
    const parsed = pipeline.input.safeParse({ jobId });
    if (!parsed.success) continue; // startResultHandler refuses it with the reason
    const input = JSON.stringify(parsed.data);
    const start = { jobId, runId: newId("run"), pipeline: pipeline.name, input, key: resultKey(jobId), actorLabel: handlerActor(jobId).label, timeoutMs: pipeline.timeoutMs };
    candidates.set(jobId, { pipeline, input: parsed.data, start });
  }
  const startedAt = new Date();
  const instanceId = currentInstanceId();
  const recorded = await jobs.startResultRuns(autocommit(), [...candidates.values()].map((c) => c.start), { startedAt, instanceId });
  const started = recorded.map(({ jobId, runId, attempt, queuedAt }) => {
    const { pipeline, input, start } = candidates.get(jobId)!;
    const run: runs.RunRow = {
      id: runId,
      pipeline: pipeline.name,
      status: "running",
      trigger: "agent",
      input: JSON.parse(start.input) as runs.RunRow["input"],
      output: null,
      error: null,
      actorType: "system",
      actorId: null,
      actorLabel: start.actorLabel,
      tokenId: null,
      requestId: null,
      idempotencyKey: start.key,
      parentRunId: null,
      conversationId: null,
      workKey: start.key,
      attempt,
      timeoutMs: pipeline.timeoutMs,
      queuedAt,
      startedAt,
      finishedAt: null,
      durationMs: null,
    };
    return launchRun(pipeline, input, run, {
      trigger: "agent",
      actor: handlerActor(jobId),
      idempotencyKey: start.key,
      workKey: start.key,
      resolve: getPipeline,
      finishRun: (id, outcome, finishedAt, durationMs) => runEnds.add({ id, outcome, finishedAt, durationMs }),
    });
  });
  const startedJobs = new Set(recorded.map((r) => r.jobId));
  return { started, rest: [...new Set(round.map((job) => job.jobId))].filter((id) => !startedJobs.has(id)) };
}

/**
 * Before the database goes away (a benchmark's end, a shutdown): drops the queued handlers (the
 * sweep starts them later, as after a crash) and waits for the running ones to finish.
 */
export async function stopResultHandlers(): Promise<void> {
  background.queue.length = 0;
  if (background.running > 0) await new Promise<void>((resolve) => background.idle.push(resolve));
}

/** Handlers queued or running in the background in this process (tests wait for none). */
export function pendingResultHandlers(): number {
  return background.running + background.queue.length;
}

/** Who asked for a retry: a signed-in user or the CLI (as in manage-jobs.ts). */
export type RetriedBy = { userId: string | null; label: string };

/**
 * Runs the handler again after its run failed or was cancelled; the new run links to the job and
 * the job's trail records who asked ("result_retried"). Two clicks start one run: the key is
 * derived from the failed run, and only the click that started it is recorded.
 */
export async function retryResultHandler(jobId: string, by: RetriedBy = { userId: null, label: "system" }): Promise<StartedRun> {
  const job = await jobs.findJob(autocommit(), jobId);
  if (!job) throw new AppError("not_found", `There is no job ${jobId}`);
  if (!job.resultRunId) throw new AppError("conflict", "This job has no result run to retry");
  const previous = await runs.findRun(autocommit(), job.resultRunId);
  if (previous && (previous.status === "succeeded" || previous.status === "running" || previous.status === "queued")) {
    throw new AppError("conflict", `The result run ${previous.id} ${previous.status === "succeeded" ? "succeeded" : "is still going"}; there is nothing to retry`);
  }
  const started = await start(job, `${resultKey(jobId)}:after:${job.resultRunId}`);
  if (!started) throw new AppError("conflict", "This job's kind has no result handler");
  if (!started.reused) {
    await jobs.insertEvents(autocommit(), [
      { id: newId("jev"), jobId, type: "result_retried", attempt: job.attempts, detail: { by: by.label, userId: by.userId, previousRunId: job.resultRunId, runId: started.run.id } },
    ]);
  }
  return started;
}

const SWEEP_WINDOW_MS = 24 * 3600_000;
/** Long enough that a job just completed has its handler started by the completion itself. */
const MISSING_AFTER_MS = 30_000;

/**
 * Succeeded jobs whose handler never started (the process died between the completion and the
 * start): started now. Only jobs finished within the last day, so old jobs are never revived.
 * Ages are measured by the database's clock, which set finished_at, not this server's.
 */
export async function startMissingResultHandlers(olderThanMs = MISSING_AFTER_MS): Promise<number> {
  const kinds = allJobKinds().filter((kind) => kind.resultPipeline).map((kind) => kind.name);
  const rows = await autocommit().$queryRaw<{ id: string }[]>`
    SELECT id FROM agent_jobs
     WHERE status = 'succeeded' AND result_run_id IS NULL AND kind = ANY(${kinds}::text[])
       AND finished_at >= (now() AT TIME ZONE 'UTC') - ${SWEEP_WINDOW_MS}::int * interval '1 millisecond'
       AND finished_at <= (now() AT TIME ZONE 'UTC') - ${olderThanMs}::int * interval '1 millisecond'
     ORDER BY finished_at
     LIMIT 100`;
  for (const row of rows) await startResultHandlerSafely(row.id);
  return rows.length + (await rerunInterruptedResultHandlers(kinds));
}

/** How many times a result handler interrupted by a crash is run again (under the job's one work key). */
const MAX_RESULT_ATTEMPTS = 5;

/**
 * Result runs a crash interrupted (recovery closed them as `interrupted`): run again with a key
 * derived from the interrupted run and the job's work key, so the handler, which recognises what
 * it wrote, finishes the job's result once.
 */
async function rerunInterruptedResultHandlers(kinds: string[]): Promise<number> {
  const rows = await autocommit().$queryRaw<{ id: string }[]>`
    SELECT j.id FROM agent_jobs j JOIN pipeline_runs r ON r.id = j.result_run_id
     WHERE j.status = 'succeeded' AND j.kind = ANY(${kinds}::text[])
       AND j.finished_at >= (now() AT TIME ZONE 'UTC') - ${SWEEP_WINDOW_MS}::int * interval '1 millisecond'
       AND r.status = 'failed' AND r.error ->> 'code' = ${INTERRUPTED_ERROR.code} AND r.attempt < ${MAX_RESULT_ATTEMPTS}::int
     LIMIT 100`;
  for (const row of rows) {
    try {
      const job = await jobs.findJobResultState(autocommit(), row.id);
      if (job?.resultRunId) await start(job, `${resultKey(row.id)}:after:${job.resultRunId}`);
    } catch (error) {
      getLogger({ component: "jobs", jobId: row.id }).error({ err: error }, "could not run the interrupted result handler again; the sweep will retry");
    }
  }
  return rows.length;
}

/** The job's result run once it is linked and closed (tests, the CLI): polls the job, then waits for the run. */
export async function waitForResultRun(jobId: string, timeoutMs = 20_000): Promise<runs.RunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobs.findJobResultState(autocommit(), jobId);
    if (job?.resultRunId) return waitForRun(job.resultRunId, Math.max(deadline - Date.now(), 0));
    if (Date.now() > deadline) throw new AppError("conflict", `Job ${jobId} has no result run yet`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
