import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import { allJobKinds, findJobKind } from "@/lib/jobs/kinds";
import * as jobs from "@/lib/jobs/jobs.repository";
import { getPipeline } from "@/lib/pipelines/catalog";
import type { Actor } from "@/lib/pipelines/define";
import { startRun, waitForRun, type StartedRun } from "@/lib/pipelines/runner";
import { INTERRUPTED_ERROR } from "@/lib/pipelines/recover-runs";
import * as runs from "@/lib/pipelines/runs.repository";

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

const MAX_BACKGROUND_HANDLERS = 4;
const background = { running: 0, queue: [] as string[], idle: [] as (() => void)[] };

/**
 * Starts the handler after a completion, in the background and at most four at a time in this
 * process, so a burst of completions never starves agents' claims of database connections. A
 * queue lost with the process is picked up by the sweep (startMissingResultHandlers).
 */
export function queueResultHandler(jobId: string): void {
  background.queue.push(jobId);
  drainHandlers();
}

function drainHandlers(): void {
  while (background.running < MAX_BACKGROUND_HANDLERS && background.queue.length > 0) {
    const jobId = background.queue.shift()!;
    background.running += 1;
    void (async () => {
      try {
        const started = await startResultHandler(jobId);
        await started?.completion;
      } catch (error) {
        getLogger({ component: "jobs", jobId }).error({ err: error }, "could not start the job's result handler; the sweep will retry");
      } finally {
        background.running -= 1;
        drainHandlers();
        if (background.running === 0) for (const resolve of background.idle.splice(0)) resolve();
      }
    })();
  }
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
