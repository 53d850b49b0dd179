import { getPipeline } from "@/lib/pipelines/catalog";
import type { Actor, RunTriggerName } from "@/lib/pipelines/define";
import { startRun, waitForRun } from "@/lib/pipelines/runner";
import type { RunRow } from "@/lib/pipelines/runs.repository";

// The one entry point every caller uses to run a pipeline by name: API, dashboard, CLI, and
// later chat, schedules, events and agents.

export const DEFAULT_WAIT_MS = 10_000;
export const MAX_WAIT_MS = 60_000;

export type RunPipelineRequest = {
  name: string;
  input: unknown;
  trigger: RunTriggerName;
  actor: Actor;
  requestId?: string | null;
  idempotencyKey?: string | null;
  /** The logical work, the same on every retry (see PipelineContext.workKey). */
  workKey?: string | null;
  /** How long to wait for the result before answering with the open run. */
  waitMs?: number;
};

export type RunPipelineResult = { run: RunRow; finished: boolean; reused: boolean };

export async function runPipeline(request: RunPipelineRequest): Promise<RunPipelineResult> {
  const pipeline = getPipeline(request.name);
  const started = await startRun(pipeline, request.input, {
    trigger: request.trigger,
    actor: request.actor,
    requestId: request.requestId,
    idempotencyKey: request.idempotencyKey,
    workKey: request.workKey,
    resolve: getPipeline,
  });
  const waitMs = Math.min(Math.max(request.waitMs ?? DEFAULT_WAIT_MS, 0), MAX_WAIT_MS);
  const run = waitMs === 0 ? started.run : await waitForRun(started.run.id, waitMs);
  return { run, finished: run.status !== "queued" && run.status !== "running", reused: started.reused };
}
