import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { definePipeline, type Actor, type AnyPipeline } from "@/lib/pipelines/define";
import { getRunWithFamily } from "@/lib/pipelines/list-runs";
import { failInterruptedRuns } from "@/lib/pipelines/recover-runs";
import { cancelRun, MAX_KEYED_ATTEMPTS, startRun, type RunOptions } from "@/lib/pipelines/runner";

// A caller's retry with the idempotency key of a run a crash interrupted is the next attempt at the
// same work. This process never registers as an instance, so to recovery its open runs belong to a
// process that died: failInterruptedRuns closes them exactly as it would after a kill -9.

const owner: Actor = { type: "user", id: "usr_owner", label: "owner@example.com" };

const work = definePipeline({
  name: "test.work",
  title: "Work",
  description: "returns its number, or hangs until aborted, or throws",
  input: z.object({ n: z.number(), then: z.enum(["return", "hang", "throw"]).default("return") }),
  output: z.object({ n: z.number() }),
  timeoutMs: 10_000,
  async run({ n, then }, ctx) {
    if (then === "throw") throw new Error("bad input row");
    if (then === "hang") await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    return { n };
  },
});

const resolve = (name: string): AnyPipeline => {
  if (name !== work.name) throw new AppError("not_found", `no ${name}`);
  return work;
};
const options = (extra: Partial<RunOptions> = {}): RunOptions => ({ trigger: "api", actor: owner, resolve, ...extra });

/** Starts a run that hangs, has recovery close it as interrupted, and ends what this process still did of it. */
async function startInterrupted(key: string, extra: Partial<RunOptions> = {}) {
  const started = await startRun(work, { n: 0, then: "hang" }, options({ idempotencyKey: key, ...extra }));
  expect(started.reused).toBe(false);
  expect(await failInterruptedRuns()).toContain(started.run.id);
  // The process is gone as far as the record goes; its local leftover must not change the closed run.
  const closed = await cancelRun(started.run.id, "test");
  expect(closed).toMatchObject({ status: "failed", error: { code: "interrupted" } });
  return closed;
}

const runsOfWork = (workKey: string) => getDb().pipelineRun.findMany({ where: { workKey }, orderBy: { attempt: "asc" } });

describe("retrying a run a crash interrupted, with the same idempotency key", () => {
  it("starts the next attempt with the new input under the same work key; the interrupted run stays as attempt 1", async () => {
    const first = await startInterrupted("retry-1");
    const retry = await startRun(work, { n: 7 }, options({ idempotencyKey: "retry-1" }));
    expect(retry.reused).toBe(false);
    expect(retry.run).toMatchObject({ attempt: 2, workKey: first.workKey, idempotencyKey: "retry-1" });
    expect(await retry.completion).toMatchObject({ status: "succeeded", output: { n: 7 } });

    const stored = await getDb().pipelineRun.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored).toMatchObject({ status: "failed", error: { code: "interrupted" }, idempotencyKey: null, workKey: "user:usr_owner:retry-1", attempt: 1 });
    // What GET /api/runs/{id} answers: both attempts, first first.
    const family = await getRunWithFamily(retry.run.id);
    expect(family.attempts.map((a) => [a.id, a.attempt, a.status])).toEqual([
      [first.id, 1, "failed"],
      [retry.run.id, 2, "succeeded"],
    ]);

    // The key now belongs to the attempt that succeeded: the next repeat gets it back.
    const again = await startRun(work, { n: 99 }, options({ idempotencyKey: "retry-1" }));
    expect(again).toMatchObject({ reused: true, run: { id: retry.run.id } });
  });

  it("validates the retry's input like any start, and leaves the interrupted run holding its key when it is invalid", async () => {
    const first = await startInterrupted("retry-invalid");
    await expect(startRun(work, { n: "seven" }, options({ idempotencyKey: "retry-invalid" }))).rejects.toMatchObject({ code: "validation_failed" });
    expect(await getDb().pipelineRun.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ idempotencyKey: "retry-invalid" });
    expect(await runsOfWork(first.workKey!)).toHaveLength(1);
  });

  it("returns a run that failed for a reason of its own, or was cancelled, as before", async () => {
    const failed = await startRun(work, { n: 1, then: "throw" }, options({ idempotencyKey: "failed-1" }));
    expect(await failed.completion).toMatchObject({ status: "failed", error: { code: "pipeline_error" } });
    const failedAgain = await startRun(work, { n: 1 }, options({ idempotencyKey: "failed-1" }));
    expect(failedAgain).toMatchObject({ reused: true, run: { id: failed.run.id, status: "failed" } });

    const hanging = await startRun(work, { n: 1, then: "hang" }, options({ idempotencyKey: "cancelled-1" }));
    await cancelRun(hanging.run.id, "owner@example.com");
    const cancelledAgain = await startRun(work, { n: 1 }, options({ idempotencyKey: "cancelled-1" }));
    expect(cancelledAgain).toMatchObject({ reused: true, run: { id: hanging.run.id, status: "cancelled" } });
    expect(await getDb().pipelineRun.count({ where: { idempotencyKey: null, workKey: { in: ["user:usr_owner:failed-1", "user:usr_owner:cancelled-1"] } } })).toBe(0);
  });

  it("starts one new attempt when several retries arrive at the same moment", async () => {
    const first = await startInterrupted("retry-burst");
    const retries = await Promise.all(Array.from({ length: 6 }, (_, i) => startRun(work, { n: i }, options({ idempotencyKey: "retry-burst" }))));
    expect(new Set(retries.map((r) => r.run.id)).size).toBe(1);
    expect(retries.filter((r) => !r.reused)).toHaveLength(1);
    await Promise.all(retries.map((r) => r.completion));
    const stored = await runsOfWork(first.workKey!);
    expect(stored.map((r) => [r.attempt, r.status, r.idempotencyKey])).toEqual([
      [1, "failed", null],
      [2, "succeeded", "retry-burst"],
    ]);
  });

  it(`stops after ${MAX_KEYED_ATTEMPTS} attempts: a run that dies every time is returned, not started again`, async () => {
    let last = await startInterrupted("retry-cap");
    for (let attempt = 2; attempt <= MAX_KEYED_ATTEMPTS; attempt++) {
      last = await startInterrupted("retry-cap");
      expect(last.attempt).toBe(attempt);
    }
    const given = await startRun(work, { n: 1 }, options({ idempotencyKey: "retry-cap" }));
    expect(given).toMatchObject({ reused: true, run: { id: last.id, attempt: MAX_KEYED_ATTEMPTS, status: "failed", error: { code: "interrupted" } } });
    expect(await runsOfWork(last.workKey!)).toHaveLength(MAX_KEYED_ATTEMPTS);
  });

  it("gives an internal caller that names its work (and retries it itself) the interrupted run back", async () => {
    const first = await startInterrupted("webhook:wdp_1", { workKey: "webhook:wdp_1", actor: { type: "system", label: "dispatch" } });
    const again = await startRun(work, { n: 1 }, options({ idempotencyKey: "webhook:wdp_1", workKey: "webhook:wdp_1", actor: { type: "system", label: "dispatch" } }));
    expect(again).toMatchObject({ reused: true, run: { id: first.id, status: "failed", error: { code: "interrupted" } } });
  });
});
