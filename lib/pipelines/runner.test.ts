import os from "node:os";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { currentInstanceId, forgetDeadLocalInstances, registerInstance } from "@/lib/instances";
import { definePipeline, type Actor, type AnyPipeline } from "@/lib/pipelines/define";
import { failInterruptedRuns } from "@/lib/pipelines/recover-runs";
import { listRuns } from "@/lib/pipelines/list-runs";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { cancelRun, startRun, type RunOptions } from "@/lib/pipelines/runner";
import { findRun, findRunByIdempotencyKey, runSelect } from "@/lib/pipelines/runs.repository";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { withEnv } from "@/tests/setup/config-env";

const owner: Actor = { type: "user", id: "usr_owner", label: "owner@example.com" };
const agent: Actor = { type: "agent", id: "agt_1", label: "openclaw", tokenId: "tok_1" };

const add = definePipeline({
  name: "test.add",
  title: "Add",
  description: "adds",
  input: z.object({ a: z.number(), b: z.number().default(1) }),
  output: z.object({ sum: z.number() }),
  async run({ a, b }) {
    return { sum: a + b };
  },
});

const explode = definePipeline({
  name: "test.explode",
  title: "Explode",
  description: "throws",
  input: z.object({ kind: z.enum(["plain", "app"]).default("plain") }),
  output: z.object({}),
  async run({ kind }) {
    if (kind === "app") throw new AppError("not_found", "The thing is not there");
    throw new Error("disk on fire");
  },
});

const liar = definePipeline({
  name: "test.liar",
  title: "Liar",
  description: "wrong output",
  input: z.object({}),
  output: z.object({ count: z.number() }),
  // @ts-expect-error -- deliberately returns the wrong shape
  async run() {
    return { count: "three" };
  },
});

let sawAbort = false;
const sleeper = definePipeline({
  name: "test.sleep",
  title: "Sleep",
  description: "waits",
  input: z.object({ ms: z.number() }),
  output: z.object({ slept: z.number() }),
  timeoutMs: 300,
  async run({ ms }, ctx) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => {
        sawAbort = true;
        clearTimeout(timer);
        resolve();
      });
    });
    return { slept: ms };
  },
});

const parent = definePipeline({
  name: "test.parent",
  title: "Parent",
  description: "calls add twice",
  input: z.object({ a: z.number(), failChild: z.boolean().default(false) }),
  output: z.object({ total: z.number() }),
  async run({ a, failChild }, ctx) {
    const first = (await ctx.runPipeline("test.add", { a, b: 1 })) as { sum: number };
    if (failChild) await ctx.runPipeline("test.explode", {});
    const second = (await ctx.runPipeline("test.add", { a: first.sum, b: 1 })) as { sum: number };
    return { total: second.sum };
  },
});

const all: Record<string, AnyPipeline> = Object.fromEntries([add, explode, liar, sleeper, parent].map((p) => [p.name, p]));
const resolve = (name: string) => {
  const p = all[name];
  if (!p) throw new AppError("not_found", `no ${name}`);
  return p;
};
const options = (extra: Partial<RunOptions> = {}): RunOptions => ({ trigger: "api", actor: owner, resolve, ...extra });

async function run(pipeline: AnyPipeline, input: unknown, extra: Partial<RunOptions> = {}) {
  const started = await startRun(pipeline, input, options(extra));
  return started.completion;
}

describe("pipeline runner", () => {
  it("records a successful run with its input (defaults applied), output, trigger, actor and timing", async () => {
    const done = await run(add, { a: 2 }, { requestId: "req_test_1", trigger: "cli" });
    expect(done).toMatchObject({ status: "succeeded", output: { sum: 3 }, input: { a: 2, b: 1 }, trigger: "cli" });
    const stored = await getDb().pipelineRun.findUniqueOrThrow({ where: { id: done.id } });
    expect(stored).toMatchObject({
      status: "succeeded",
      output: { sum: 3 },
      actorType: "user",
      actorId: "usr_owner",
      actorLabel: "owner@example.com",
      requestId: "req_test_1",
      instanceId: currentInstanceId(),
    });
    expect(stored.id).toMatch(/^run_[0-9a-z]{26}$/);
    expect(stored.startedAt!.getTime()).toBeLessThanOrEqual(stored.finishedAt!.getTime());
    expect(stored.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("records the agent and its token as the actor", async () => {
    const done = await run(add, { a: 1 }, { actor: agent, trigger: "agent" });
    const stored = await getDb().pipelineRun.findUniqueOrThrow({ where: { id: done.id } });
    expect(stored).toMatchObject({ actorType: "agent", actorId: "agt_1", actorLabel: "openclaw", tokenId: "tok_1", trigger: "agent" });
  });

  it("refuses invalid input with field-level issues and records nothing", async () => {
    const before = await getDb().pipelineRun.count();
    const error = await startRun(add, { a: "two" }, options()).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "validation_failed", status: 400 });
    expect(error.details.issues).toEqual([{ path: "a", message: expect.stringContaining("number") }]);
    expect(await getDb().pipelineRun.count()).toBe(before);
  });

  it("turns a throwing pipeline into a failed run with its message, and keeps the stack out of the record", async () => {
    const done = await run(explode, {});
    expect(done.status).toBe("failed");
    expect(done.error).toEqual({ code: "pipeline_error", message: "disk on fire" });
    const stored = await getDb().pipelineRun.findUniqueOrThrow({ where: { id: done.id } });
    expect(JSON.stringify(stored.error)).not.toContain("at ");
  });

  it("keeps the code of an AppError thrown by a pipeline", async () => {
    const done = await run(explode, { kind: "app" });
    expect(done.error).toEqual({ code: "not_found", message: "The thing is not there" });
  });

  it("fails a run whose output does not match the output schema", async () => {
    const done = await run(liar, {});
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "invalid_output", details: { issues: [{ path: "count" }] } });
    expect(done.output).toBeNull();
  });

  it("fails a run that passes its timeout and aborts its signal", async () => {
    sawAbort = false;
    const started = Date.now();
    const done = await run(sleeper, { ms: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(done.status).toBe("failed");
    expect(done.error).toEqual({ code: "timeout", message: "Timed out after 0.3 s" });
    expect(sawAbort).toBe(true);
  });

  it("cancels a running run through its signal", async () => {
    const slow = { ...sleeper, timeoutMs: 10_000 };
    const started = await startRun(slow, { ms: 5_000 }, options());
    const cancelled = await cancelRun(started.run.id, "owner@example.com");
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.error).toEqual({ code: "cancelled", message: "Cancelled by owner@example.com" });
    await expect(cancelRun(started.run.id, "x")).rejects.toMatchObject({ code: "conflict" });
  });

  it("returns the first run for a repeated idempotency key, per actor", async () => {
    const first = await startRun(add, { a: 10 }, options({ idempotencyKey: "key-1" }));
    await first.completion;
    const again = await startRun(add, { a: 99 }, options({ idempotencyKey: "key-1" }));
    expect(again.reused).toBe(true);
    expect(again.run.id).toBe(first.run.id);
    expect((await again.completion).output).toEqual({ sum: 11 });
    const otherActor = await startRun(add, { a: 5 }, options({ idempotencyKey: "key-1", actor: agent }));
    expect(otherActor.reused).toBe(false);
    expect(otherActor.run.id).not.toBe(first.run.id);
  });

  it("runs a key sent twice at the same moment only once", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => startRun(add, { a: 1 }, options({ idempotencyKey: "burst" }))),
    );
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    expect(await getDb().pipelineRun.count({ where: { idempotencyKey: "burst" } })).toBe(1);
  });

  it("links child runs to their parent, with the parent's actor and trigger", async () => {
    const done = await run(parent, { a: 1 }, { trigger: "schedule", actor: { type: "schedule", id: "sch_1", label: "nightly" } });
    expect(done).toMatchObject({ status: "succeeded", output: { total: 3 } });
    const children = await getDb().pipelineRun.findMany({ where: { parentRunId: done.id }, orderBy: { id: "asc" } });
    expect(children.map((c) => [c.pipeline, c.status, c.trigger, c.actorType, c.actorId])).toEqual([
      ["test.add", "succeeded", "schedule", "schedule", "sch_1"],
      ["test.add", "succeeded", "schedule", "schedule", "sch_1"],
    ]);
  });

  it("fails the parent when a child fails, naming the child run", async () => {
    const done = await run(parent, { a: 1, failChild: true });
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ message: "The child pipeline test.explode failed: disk on fire" });
    const failedChild = await getDb().pipelineRun.findFirstOrThrow({ where: { parentRunId: done.id, status: "failed" } });
    expect((done.error as { details: { childRunId: string } }).details.childRunId).toBe(failedChild.id);
  });
});

describe("runPipeline (by name)", () => {
  it("answers 404 for an unknown pipeline", async () => {
    await expect(runPipeline({ name: "nope.nothing", input: {}, trigger: "api", actor: owner })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
  });

  it("runs a registered pipeline", async () => {
    const result = await runPipeline({ name: "system.echo", input: { message: "hi" }, trigger: "api", actor: owner });
    expect(result.finished).toBe(true);
    expect(result.run.output).toMatchObject({ message: "hi", actor: "owner@example.com", trigger: "api" });
  });
});

describe("crash recovery", () => {
  async function insertOpenRun(id: string, instanceId: string | null) {
    await getDb().pipelineRun.create({
      data: {
        id,
        pipeline: "test.add",
        status: "running",
        trigger: "api",
        input: {},
        actorType: "system",
        actorLabel: "test",
        instanceId,
        timeoutMs: 1000,
        startedAt: new Date(Date.now() - 5_000),
      },
    });
  }

  it("fails runs left running by a process that died, and leaves live instances' runs alone", async () => {
    await registerInstance();
    // An instance on this host whose process no longer exists (pid 2^22+1 is never valid on Linux).
    await getDb().appInstance.create({ data: { id: "ins_dead", hostname: os.hostname(), pid: 4_194_305 } });
    await insertOpenRun("run_00000000000000000000000001", "ins_dead");
    await insertOpenRun("run_00000000000000000000000002", "ins_never_registered");
    await insertOpenRun("run_00000000000000000000000003", currentInstanceId());

    expect(await forgetDeadLocalInstances()).toBe(1);
    const closed = await failInterruptedRuns();
    expect(closed.sort()).toEqual(["run_00000000000000000000000001", "run_00000000000000000000000002"]);

    const rows = await getDb().pipelineRun.findMany({ where: { id: { startsWith: "run_0000000000" } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed", "running"]);
    expect(rows[0]!.error).toMatchObject({ code: "interrupted" });
    expect(rows[0]!.durationMs).toBeGreaterThanOrEqual(5_000);
    await getDb().pipelineRun.deleteMany({ where: { id: { startsWith: "run_0000000000" } } });
  });

  it("judges heartbeats by the database's clock: an instance whose clock runs a day behind is alive", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() - 24 * 3_600_000);
      await registerInstance();
    } finally {
      vi.useRealTimers();
    }
    await insertOpenRun("run_00000000000000000000000009", currentInstanceId());
    // Another instance (with a right clock) sweeps.
    expect(await failInterruptedRuns()).not.toContain("run_00000000000000000000000009");
    expect((await getDb().pipelineRun.findUniqueOrThrow({ where: { id: "run_00000000000000000000000009" } })).status).toBe("running");
    await getDb().pipelineRun.deleteMany({ where: { id: { startsWith: "run_0000000000" } } });
  });
});

describe("listing runs", () => {
  it("filters and pages newest first with a cursor", async () => {
    const from = new Date();
    for (let i = 0; i < 5; i++) await run(add, { a: i }, { trigger: "cli" });
    await run(explode, {}, { trigger: "cli" });
    const firstPage = await listRuns({ trigger: ["cli"], pipeline: "test.add", from, limit: 3 });
    expect(firstPage.runs).toHaveLength(3);
    expect(firstPage.runs.map((r) => (r.input as { a: number }).a)).toEqual([4, 3, 2]);
    const second = await listRuns({ trigger: ["cli"], pipeline: "test.add", from, limit: 3, cursor: firstPage.nextCursor! });
    expect(second.runs.map((r) => (r.input as { a: number }).a)).toEqual([1, 0]);
    expect(second.nextCursor).toBeNull();
    const failed = await listRuns({ status: ["failed"], trigger: ["cli"], from, limit: 50 });
    expect(failed.runs.every((r) => r.status === "failed" && r.pipeline === "test.explode")).toBe(true);
    expect(failed.runs.length).toBe(1);
    const none = await listRuns({ trigger: ["cli"], from: new Date(Date.now() + 60_000), limit: 50 });
    expect(none.runs).toEqual([]);
  });
});

// A transactional pipeline writes through ctx.transaction, which is the run's own transaction.
const noteRows = (marker: string) => getDb().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM app_instances WHERE hostname = ${marker}`;
const writer = definePipeline({
  name: "test.write",
  title: "Write",
  description: "writes a row, then fails or is closed by recovery when asked",
  input: z.object({ marker: z.string(), then: z.enum(["succeed", "throw", "closed-elsewhere"]) }),
  output: z.object({ written: z.boolean() }),
  transactional: true,
  async run({ marker, then }, ctx) {
    await ctx.transaction((tx) => tx.$executeRaw`
      INSERT INTO app_instances (id, hostname, pid, started_at, heartbeat_at) VALUES (${`ins_${marker}`}, ${marker}, 1, now(), now())`);
    if (then === "throw") throw new Error("failed after writing");
    // What recovery does to a run it believes interrupted, while this one still runs.
    if (then === "closed-elsewhere") await getDb().pipelineRun.update({ where: { id: ctx.runId }, data: { status: "failed", error: { code: "interrupted", message: "x" } } });
    return { written: true };
  },
});

describe("transactional pipelines", () => {
  it("commit their writes together with the run's success", async () => {
    const done = await run(writer, { marker: "tx-succeed", then: "succeed" });
    expect(done.status).toBe("succeeded");
    expect(Number((await noteRows("tx-succeed"))[0]!.n)).toBe(1);
  });

  it("roll their writes back when the run fails", async () => {
    const done = await run(writer, { marker: "tx-throw", then: "throw" });
    expect(done).toMatchObject({ status: "failed", error: { code: "pipeline_error", message: "failed after writing" } });
    expect(Number((await noteRows("tx-throw"))[0]!.n)).toBe(0);
  });

  it("roll their writes back when recovery closed the run as interrupted meanwhile (a retry will do them)", async () => {
    const done = await run(writer, { marker: "tx-closed", then: "closed-elsewhere" });
    expect(done).toMatchObject({ status: "failed", error: { code: "interrupted" } });
    expect(Number((await noteRows("tx-closed"))[0]!.n)).toBe(0);
  });

  it("count attempts per work key", async () => {
    const first = await run(add, { a: 1 }, { workKey: "test:work-1", idempotencyKey: "w1" });
    const second = await run(add, { a: 1 }, { workKey: "test:work-1", idempotencyKey: "w1:after" });
    expect([first.attempt, second.attempt, first.workKey]).toEqual([1, 2, "test:work-1"]);
    const keyed = await run(add, { a: 1 }, { idempotencyKey: "own-key" });
    expect(keyed.workKey).toBe("user:usr_owner:own-key");
  });
});

describe("reading runs", () => {
  // findRun and findRunByIdempotencyKey are SQL of ours (a job's result handler looks its key up
  // on every job): the same values Prisma's findUnique gave, alone or in a transaction, in any zone.
  it("gives the same rows as Prisma's findUnique", async () => {
    const succeeded = await run(add, { a: 2 }, { idempotencyKey: "read-same-1", requestId: "req_1" });
    const failed = await run(explode, { kind: "app" });
    const child = await run(add, { a: 3 }, { parentRunId: succeeded.id });
    await withEnv({ TZ: "America/New_York" }, async () => {
      for (const row of [succeeded, failed, child]) {
        const prisma = await getDb().pipelineRun.findUnique({ where: { id: row.id }, select: runSelect });
        expect(prisma).not.toBeNull();
        expect(await findRun(autocommit(), row.id)).toEqual(prisma);
        expect(await withTransaction((tx) => findRun(tx, row.id))).toEqual(prisma);
      }
      const keyed = await getDb().pipelineRun.findUnique({ where: { id: succeeded.id }, select: runSelect });
      expect(await findRunByIdempotencyKey(autocommit(), "test.add", "user:usr_owner", "read-same-1")).toEqual(keyed);
      expect(await withTransaction((tx) => findRunByIdempotencyKey(tx, "test.add", "user:usr_owner", "read-same-1"))).toEqual(keyed);
    });
    expect(await findRun(autocommit(), "run_missing")).toBeNull();
    expect(await findRunByIdempotencyKey(autocommit(), "test.add", "user:usr_owner", "no-such-key")).toBeNull();
  });
});
