import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { getConfig } from "@/lib/config";
import { readContext } from "@/lib/context-hub/read-context";
import { autocommit } from "@/lib/db/transaction";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";
import { createJob } from "@/lib/jobs/create-job";
import { cancelJob } from "@/lib/jobs/manage-jobs";
import { getJob } from "@/lib/jobs/read-jobs";
import { pendingResultHandlers, retryResultHandler, startMissingResultHandlers, startResultHandler, waitForResultRun } from "@/lib/jobs/result-handler";
import { getPipeline } from "@/lib/pipelines/catalog";
import { INTERRUPTED_ERROR } from "@/lib/pipelines/recover-runs";
import { startRun } from "@/lib/pipelines/runner";
import { CONTENT_DRAFTS_FOLDER } from "@/pipelines/content-save-draft";
import { RESEARCH_FOLDER } from "@/pipelines/research-save-brief";

// Research and content results land in the context hub exactly once, linked from the job, with
// the folder's abstract and overview kept current.

const agent: AgentPrincipal = { agentId: "agt_researcher", agentName: "researcher", tokenId: "tok_r", jobKinds: ["research.brief", "content.draft"], pipelines: [] };

async function doJob(kind: string, input: Record<string, unknown>, result: unknown) {
  const { job } = await createJob({ kind, input });
  const [claimed] = await claimJobs(agent, { kinds: [kind] });
  expect(claimed!.id).toBe(job.id);
  await completeJob(agent, job.id, claimed!.leaseId, result);
  const run = await waitForResultRun(job.id);
  return { job, claimed: claimed!, run };
}

/** Creates, claims and completes a content.draft job; its handler starts in the background. */
async function doJobWithoutWaiting(title: string): Promise<string> {
  const { job } = await createJob({ kind: "content.draft", input: { brief: title, format: "email" } });
  const [claimed] = await claimJobs(agent, { kinds: ["content.draft"] });
  expect(claimed!.id).toBe(job.id);
  await completeJob(agent, job.id, claimed!.leaseId, { title, body: "Body", notes: "" });
  return job.id;
}

const notesIn = async (folder: string) =>
  (await readdir(path.join(getConfig().contextHubDir, folder))).filter((n) => n.endsWith(".md") && n !== "abstract.md" && n !== "overview.md");

const brief = {
  summary: "Heat pumps pay back in **7–10 years** in a mild climate.",
  findings: [
    { claim: "Installation costs about 12k EUR.", source: "https://example.org/costs" },
    { claim: "Running costs drop by a third.", source: "https://example.org/running" },
  ],
  confidence: "medium",
};

describe("research.brief → a hub note", () => {
  it("writes knowledge/research/<date>-<slug>.md with its sources once, and keeps the folder's tiers current", async () => {
    const { job, claimed, run } = await doJob("research.brief", { topic: "Heat pump payback", questions: ["How long until it pays back?"] }, brief);
    expect(run).toMatchObject({ pipeline: "research.save-brief", status: "succeeded", idempotencyKey: `job-result:${job.id}` });
    const date = new Date().toISOString().slice(0, 10);
    const notePath = `${RESEARCH_FOLDER}/${date}-heat-pump-payback.md`;
    expect(run.output).toMatchObject({ path: notePath, created: true, artifact: { type: "hub-note", path: notePath } });

    const note = await readContext(getConfig().contextHubDir, { path: notePath, tier: "full" });
    const text = JSON.stringify(note);
    expect(text).toContain("https://example.org/costs");
    expect(text).toContain("Running costs drop by a third.");
    expect(text).toContain(job.id);
    const hub = path.join(getConfig().contextHubDir, RESEARCH_FOLDER);
    expect(await readFile(path.join(hub, "abstract.md"), "utf8")).toMatch(/^Research briefs written by agents, with their sources: 1 note; latest \d{4}-\d{2}-\d{2}\.\n$/);
    expect(await readFile(path.join(hub, "overview.md"), "utf8")).toContain(`[${date}-heat-pump-payback.md](${date}-heat-pump-payback.md) — Heat pump payback (confidence medium, 2 sources)`);

    // The job links to the run and shows the note it became; a repeated completion, a second start
    // and a retry write nothing new.
    const detail = await getJob("operator", job.id);
    expect(detail.job.resultRunId).toBe(run.id);
    expect(detail.outcome).toEqual({
      state: "done",
      handler: "research.save-brief",
      run: { id: run.id, pipeline: "research.save-brief", status: "succeeded", error: null, finishedAt: expect.any(String) },
      artifact: { type: "hub-note", label: notePath, path: notePath },
      approval: null,
    });
    const again = await completeJob(agent, job.id, claimed.leaseId, brief);
    expect(again).toMatchObject({ idempotent: true, resultHandler: "research.save-brief" });
    expect((await waitForResultRun(job.id)).id).toBe(run.id);
    expect((await startResultHandler(job.id))!.run.id).toBe(run.id);
    const direct = await startRun(getPipeline("research.save-brief"), { jobId: job.id }, { trigger: "cli", actor: { type: "system", label: "t" }, idempotencyKey: "other", resolve: getPipeline });
    expect(await direct.completion).toMatchObject({ status: "succeeded", output: { path: notePath, created: false } });
    expect(await notesIn(RESEARCH_FOLDER)).toEqual([`${date}-heat-pump-payback.md`]);
    await expect(retryResultHandler(job.id)).rejects.toThrow(/succeeded; there is nothing to retry/);

    // Another brief on the same topic is a second note, and the overview lists both.
    await doJob("research.brief", { topic: "Heat pump payback", questions: ["And in the north?"] }, brief);
    expect(await notesIn(RESEARCH_FOLDER)).toHaveLength(2);
    expect(await readFile(path.join(hub, "abstract.md"), "utf8")).toContain(": 2 notes;");
  });

  it("refuses to handle a job that has not succeeded, and the sweep starts handlers that were lost", async () => {
    const { job } = await createJob({ kind: "research.brief", input: { topic: "Unfinished", questions: ["?"] } });
    const run = await startRun(getPipeline("research.save-brief"), { jobId: job.id }, { trigger: "cli", actor: { type: "system", label: "t" }, resolve: getPipeline });
    expect(await run.completion).toMatchObject({ status: "failed", error: { code: "conflict" } });
    await cancelJob("operator", job.id, { userId: null, label: "test" });

    const { job: lost, run: first } = await doJob("research.brief", { topic: "Lost handler", questions: ["?"] }, brief);
    // As if the process died right after the completion: no run linked, finished a minute ago.
    await autocommit().agentJob.update({ where: { id: lost.id }, data: { resultRunId: null, finishedAt: new Date(Date.now() - 60_000) } });
    expect(await startMissingResultHandlers()).toBeGreaterThanOrEqual(1);
    expect((await getJob("operator", lost.id)).job.resultRunId).toBe(first.id);
  });
});

describe("the sweep of lost result handlers", () => {
  const DAY_MS = 24 * 3_600_000;

  /** As if the process died right after the completion: no run linked, finished `ago` before the database's now. */
  async function loseHandler(jobId: string, ago: string): Promise<void> {
    await autocommit().$executeRaw`
      UPDATE agent_jobs SET result_run_id = NULL, finished_at = (now() AT TIME ZONE 'UTC') - ${ago}::interval WHERE id = ${jobId}`;
  }

  /** The sweep, run while this server's clock is `offsetMs` off the database's. */
  async function sweepWithClockOff(offsetMs: number): Promise<void> {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + offsetMs);
      await startMissingResultHandlers();
    } finally {
      vi.useRealTimers();
    }
  }

  const resultRunOf = async (jobId: string) => (await autocommit().agentJob.findUniqueOrThrow({ where: { id: jobId } })).resultRunId;

  it("decides what is lost by the database's clock, whatever this server's clock says", async () => {
    const lost = await doJob("research.brief", { topic: "Lost a minute ago", questions: ["?"] }, brief);
    const fresh = await doJob("research.brief", { topic: "Just finished", questions: ["?"] }, brief);
    const old = await doJob("research.brief", { topic: "Lost long ago", questions: ["?"] }, brief);
    const interrupted = await doJob("research.brief", { topic: "Interrupted long ago", questions: ["?"] }, brief);
    await loseHandler(lost.job.id, "1 minute");
    // Just completed: its own completion is still starting the handler.
    await loseHandler(fresh.job.id, "1 second");
    // Past the day the sweep looks back: never revived.
    await loseHandler(old.job.id, "36 hours");
    await autocommit().$executeRaw`
      UPDATE agent_jobs SET finished_at = (now() AT TIME ZONE 'UTC') - interval '36 hours' WHERE id = ${interrupted.job.id}`;
    await autocommit().pipelineRun.update({ where: { id: interrupted.run.id }, data: { status: "failed", output: undefined, error: INTERRUPTED_ERROR } });

    // A day ahead, then a day behind.
    await sweepWithClockOff(DAY_MS);
    await sweepWithClockOff(-DAY_MS);

    // The lost handler is started (the job's one run, found again by its key); the others are left alone.
    expect(await resultRunOf(lost.job.id)).toBe(lost.run.id);
    expect(await resultRunOf(fresh.job.id)).toBeNull();
    expect(await resultRunOf(old.job.id)).toBeNull();
    expect(await resultRunOf(interrupted.job.id)).toBe(interrupted.run.id);
    expect(await autocommit().pipelineRun.count({ where: { idempotencyKey: { startsWith: `job-result:${interrupted.job.id}:after:` } } })).toBe(0);
  });
});

describe("the job's outcome", () => {
  it("says when there is no result yet, when the run is going, and when a kind has no handler", async () => {
    const { job } = await createJob({ kind: "research.brief", input: { topic: "Not yet", questions: ["?"] } });
    expect((await getJob("operator", job.id)).outcome).toEqual({ state: "awaiting_result", handler: "research.save-brief", run: null, artifact: null, approval: null });

    // Succeeded, but its handler has not started (or is still running): pending, which the page polls.
    await autocommit().agentJob.update({ where: { id: job.id }, data: { status: "succeeded", result: brief, finishedAt: new Date() } });
    expect((await getJob("operator", job.id)).outcome).toMatchObject({ state: "pending", run: null });

    // A kind no longer registered keeps its result on the job.
    const legacy = await autocommit().agentJob.create({
      data: { id: "job_01jzzzzzzzzzzzzzzzzzzzzzzz", kind: "legacy.summary", status: "succeeded", input: {}, result: { ok: true }, maxAttempts: 1, leaseMs: 1000, maxRuntimeMs: 1000, finishedAt: new Date() },
    });
    expect((await getJob("operator", legacy.id)).outcome).toEqual({ state: "no_handler", handler: null, run: null, artifact: null, approval: null });
  });

  it("shows a failed result run with its error; a retry runs it once, links it and records who asked", async () => {
    const { job, run } = await doJob("research.brief", { topic: "Retry me", questions: ["?"] }, brief);
    // As if the run had failed (the disk was full, say): the note is there, the run says failed.
    await autocommit().pipelineRun.update({ where: { id: run.id }, data: { status: "failed", output: undefined, error: { code: "internal", message: "ENOSPC: no space left on device" } } });
    const failed = await getJob("operator", job.id);
    expect(failed.outcome).toMatchObject({ state: "failed", artifact: null, run: { id: run.id, status: "failed", error: { message: "ENOSPC: no space left on device" } } });

    const by = { userId: null, label: "owner@example.com" };
    // Two clicks at once start one run. The second gets the same run, or, when the first click's
    // run has already linked and finished before the second reads the job, "nothing to retry".
    const clicks = await Promise.allSettled([retryResultHandler(job.id, by), retryResultHandler(job.id, by)]);
    const started = clicks.flatMap((click) => (click.status === "fulfilled" ? [click.value] : []));
    for (const click of clicks) if (click.status === "rejected") expect(String(click.reason)).toMatch(/succeeded; there is nothing to retry/);
    const first = started[0]!;
    expect(started.map((s) => s.run.id)).toEqual(started.map(() => first.run.id));
    const retried = await first.completion;
    expect(await autocommit().pipelineRun.count({ where: { idempotencyKey: { startsWith: `job-result:${job.id}:after:` } } })).toBe(1);
    expect(retried).toMatchObject({ status: "succeeded", idempotencyKey: `job-result:${job.id}:after:${run.id}`, output: { created: false } });
    const after = await getJob("operator", job.id);
    expect(after.job.resultRunId).toBe(retried.id);
    expect(after.outcome).toMatchObject({ state: "done", run: { id: retried.id }, artifact: { type: "hub-note" } });
    expect(after.events.filter((e) => e.type === "result_retried")).toEqual([
      expect.objectContaining({ detail: { by: "owner@example.com", userId: null, previousRunId: run.id, runId: retried.id } }),
    ]);
    expect(await notesIn(RESEARCH_FOLDER)).toContain(`${new Date().toISOString().slice(0, 10)}-retry-me.md`);
    await expect(retryResultHandler(job.id, by)).rejects.toThrow(/succeeded; there is nothing to retry/);
  });
});

describe("content.draft → a draft file in the content area", () => {
  it("writes areas/content/drafts/<date>-<slug>.md once, with the agent's notes", async () => {
    const result = { title: "Why we stopped cold outreach", body: "We stopped.\n\nHere is why.", notes: "Check the numbers in paragraph 2" };
    const { job, run } = await doJob("content.draft", { brief: "A newsletter about referrals", format: "newsletter" }, result);
    const date = new Date().toISOString().slice(0, 10);
    const file = `${CONTENT_DRAFTS_FOLDER}/${date}-why-we-stopped-cold-outreach.md`;
    expect(run.output).toMatchObject({ path: file, created: true, artifact: { type: "content-draft" } });
    expect((await getJob("operator", job.id)).outcome).toMatchObject({ state: "done", artifact: { type: "content-draft", path: file } });
    const text = await readFile(path.join(getConfig().contextHubDir, file), "utf8");
    expect(text).toContain("# Why we stopped cold outreach");
    expect(text).toContain("## Notes from the agent\n\nCheck the numbers in paragraph 2");
    expect(text).toContain(`job_id: ${job.id}`);
    const direct = await startRun(getPipeline("content.save-draft"), { jobId: job.id }, { trigger: "cli", actor: { type: "system", label: "t" }, resolve: getPipeline });
    expect(await direct.completion).toMatchObject({ status: "succeeded", output: { created: false } });
    expect(await notesIn(CONTENT_DRAFTS_FOLDER)).toEqual([`${date}-why-we-stopped-cold-outreach.md`]);
  });
});

describe("a burst of completions", () => {
  it("does not hold back later jobs behind a slow handler: the next round takes the places the finished ones left", async () => {
    const pipeline = getPipeline("content.save-draft");
    const run = pipeline.run.bind(pipeline);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first job's handler hangs (a Gmail call waiting out its timeout, say) until released.
    const slow = vi.spyOn(pipeline, "run").mockImplementationOnce(async (input, ctx) => (await held, run(input, ctx)));
    try {
      const first = await doJobWithoutWaiting("Slow one");
      await vi.waitFor(() => expect(slow).toHaveBeenCalledTimes(1));
      const later = await doJobWithoutWaiting("After the slow one");
      // Finished while the first is still held.
      expect((await waitForResultRun(later)).status).toBe("succeeded");
      expect((await autocommit().agentJob.findUniqueOrThrow({ where: { id: first } })).resultRunId).not.toBeNull();
      expect(pendingResultHandlers()).toBe(1);
    } finally {
      release();
      slow.mockRestore();
    }
    await vi.waitFor(() => expect(pendingResultHandlers()).toBe(0), { timeout: 20_000 });
  });

  it("handles each job once, in rounds: one linked run and one note per job, a repeated completion included", async () => {
    // More jobs than a round takes, completed at once, one of them twice.
    const jobs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createJob({ kind: "content.draft", input: { brief: `Burst ${i}`, format: "email" } }).then((r) => r.job)),
    );
    const claimed = [...(await claimJobs(agent, { kinds: ["content.draft"], limit: 10 })), ...(await claimJobs(agent, { kinds: ["content.draft"], limit: 10 }))];
    expect(claimed.map((c) => c.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    const results = new Map(claimed.map((c, i) => [c.id, { title: `Burst note ${i}`, body: "Body", notes: "" }]));
    await Promise.all(claimed.map((c) => completeJob(agent, c.id, c.leaseId, results.get(c.id))));
    await completeJob(agent, claimed[0]!.id, claimed[0]!.leaseId, results.get(claimed[0]!.id));
    await vi.waitFor(() => expect(pendingResultHandlers()).toBe(0), { timeout: 20_000 });

    const ids = jobs.map((j) => j.id);
    const rows = await autocommit().agentJob.findMany({ where: { id: { in: ids } }, select: { id: true, resultRunId: true } });
    const runs = await autocommit().pipelineRun.findMany({ where: { workKey: { in: ids.map((id) => `job-result:${id}`) } } });
    expect(runs).toHaveLength(20);
    expect(runs.every((r) => r.status === "succeeded" && r.attempt === 1 && r.actorType === "system" && r.trigger === "agent")).toBe(true);
    expect(new Set(rows.map((r) => r.resultRunId))).toEqual(new Set(runs.map((r) => r.id)));
    // Started in rounds, not one by one: a round's runs are recorded together, with one start time.
    expect(new Set(runs.map((r) => r.queuedAt.getTime())).size).toBeLessThan(runs.length);
    const date = new Date().toISOString().slice(0, 10);
    const notes = await notesIn(CONTENT_DRAFTS_FOLDER);
    for (const { title } of results.values()) expect(notes.filter((n) => n === `${date}-${title.toLowerCase().replaceAll(" ", "-")}.md`)).toHaveLength(1);
    const overview = await readFile(path.join(getConfig().contextHubDir, CONTENT_DRAFTS_FOLDER, "overview.md"), "utf8");
    for (const { title } of results.values()) expect(overview).toContain(`${title} (email)`);
  });
});
