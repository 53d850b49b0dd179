import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/pipelines/define";
import { runPipeline } from "@/lib/pipelines/run-pipeline";

// agent-jobs.create, one job or many per run: many go in together (with their "created" events)
// or not at all, each honouring its own idempotency key.

const actor: Actor = { type: "user", id: "usr_bulk", label: "bulk@example.com" };
const brief = (n: number) => ({ kind: "research.brief", input: { topic: `Topic ${n}`, questions: ["Why?"] } });

type Created = { jobId: string; status: string; kind: string; created: boolean };

const create = (input: unknown) => runPipeline({ name: "agent-jobs.create", input, trigger: "api", actor });

async function refusal(input: unknown): Promise<AppError> {
  const error = await create(input).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const issuesOf = (error: AppError) => (error.details as { issues: { path: string; message: string }[] }).issues;

describe("agent-jobs.create", () => {
  it("creates many jobs in one run, in order, each with its created event and a link to the run", async () => {
    const { run } = await create({ jobs: [brief(1), { ...brief(2), priority: 5 }, { kind: "content.draft", input: { brief: "Post", format: "blog-post" } }] });
    expect(run.status).toBe("succeeded");
    const output = run.output as { jobs: Created[]; created: number };
    expect(output.created).toBe(3);
    expect(output.jobs.map((j) => [j.kind, j.status, j.created])).toEqual([
      ["research.brief", "queued", true],
      ["research.brief", "queued", true],
      ["content.draft", "queued", true],
    ]);
    const ids = output.jobs.map((j) => j.jobId);
    const stored = await getDb().agentJob.findMany({ where: { createdByRunId: run.id }, include: { events: true } });
    expect(stored.map((j) => j.id).sort()).toEqual([...ids].sort());
    const byId = new Map(stored.map((j) => [j.id, j]));
    expect(byId.get(ids[1]!)!.priority).toBe(5);
    expect(byId.get(ids[0]!)!.input).toEqual({ topic: "Topic 1", questions: ["Why?"] });
    for (const job of stored) expect(job.events.map((e) => [e.type, e.detail])).toEqual([["created", { runId: run.id, priority: job.priority }]]);
  });

  it("answers a job whose idempotency key was used with the first job, per job", async () => {
    const first = await create({ ...brief(10), idempotencyKey: "bulk-key-a" });
    const firstId = (first.run.output as Created).jobId;
    const { run } = await create({ jobs: [{ ...brief(11), idempotencyKey: "bulk-key-a" }, { ...brief(12), idempotencyKey: "bulk-key-b" }, brief(13)] });
    const output = run.output as { jobs: Created[]; created: number };
    expect(output.jobs.map((j) => j.created)).toEqual([false, true, true]);
    expect(output.jobs[0]!.jobId).toBe(firstId);
    expect(output.created).toBe(2);
    const again = await create({ jobs: [{ ...brief(12), idempotencyKey: "bulk-key-b" }] });
    expect((again.run.output as { jobs: Created[] }).jobs[0]).toEqual({ ...output.jobs[1], created: false });
    expect(await getDb().agentJob.count({ where: { idempotencyKey: { in: ["bulk-key-a", "bulk-key-b"] } } })).toBe(2);
  });

  it("creates none of a run's jobs when one key belongs to a job of another kind", async () => {
    await create({ kind: "content.draft", input: { brief: "Taken", format: "email" }, idempotencyKey: "bulk-key-other-kind" });
    const before = await getDb().agentJob.count();
    const { run } = await create({ jobs: [brief(20), { ...brief(21), idempotencyKey: "bulk-key-other-kind" }, brief(22)] });
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ code: "conflict", message: expect.stringMatching(/used for a content.draft job/) });
    expect(await getDb().agentJob.count()).toBe(before);
    expect(await getDb().agentJob.count({ where: { createdByRunId: run.id } })).toBe(0);
  });

  it("refuses input it cannot take before recording a run", async () => {
    const runsBefore = await getDb().pipelineRun.count();
    const badInput = await refusal({ jobs: [brief(30), { kind: "research.brief", input: { topic: "No questions" } }] });
    expect(badInput.code).toBe("validation_failed");
    expect(issuesOf(badInput).map((i) => i.path)).toEqual(["jobs[1].input.questions"]);
    const both = await refusal({ ...brief(31), jobs: [brief(32)] });
    expect(issuesOf(both)).toEqual([{ path: "kind", message: "Give either jobs, or kind and input, not both" }]);
    const twice = await refusal({ jobs: [{ ...brief(33), idempotencyKey: "same" }, { ...brief(34), idempotencyKey: "same" }] });
    expect(issuesOf(twice)).toEqual([{ path: "jobs[1].idempotencyKey", message: "Another job in this run has the same key" }]);
    const tooMany = await refusal({ jobs: Array.from({ length: 1_001 }, (_, i) => brief(i)) });
    expect(issuesOf(tooMany)[0]!.path).toBe("jobs");
    const neither = await refusal({});
    expect(issuesOf(neither).map((i) => i.path)).toEqual(["kind", "input"]);
    expect((await refusal({ jobs: [] })).code).toBe("validation_failed");
    expect(await getDb().pipelineRun.count()).toBe(runsBefore);
  });

  it("takes a thousand jobs in one run", async () => {
    const { run } = await create({ jobs: Array.from({ length: 1_000 }, (_, i) => brief(i)) });
    expect(run.status).toBe("succeeded");
    expect((run.output as { created: number }).created).toBe(1_000);
    expect(await getDb().agentJobEvent.count({ where: { job: { createdByRunId: run.id }, type: "created" } })).toBe(1_000);
  });
});
