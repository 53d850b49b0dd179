import { describe, expect, it } from "vitest";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";
import { createJob } from "@/lib/jobs/create-job";
import { waitForResultRun } from "@/lib/jobs/result-handler";
import { cli } from "./run-cli";

// `pa jobs …` against this file's database.

const agent = { agentId: "agt_cli", agentName: "cli", tokenId: "tok_cli", jobKinds: ["content.draft"], pipelines: [] };

describe("pa jobs", () => {
  it("lists, shows, cancels and retries jobs", async () => {
    const { job } = await createJob({ kind: "content.draft", input: { brief: "Spring newsletter", format: "newsletter" } });
    await claimJobs(agent);

    const list = await cli(["jobs", "list", "--status", "claimed"]);
    expect(list.code).toBe(0);
    expect(list.out).toContain("claimed 1");
    expect(list.out).toMatch(new RegExp(`${job.id}\\s+content\\.draft\\s+claimed\\s+1/3\\s+agt_cli`));

    const show = await cli(["jobs", "show", job.id]);
    expect(show.out).toContain("Spring newsletter");
    expect(show.out).toMatch(/claimed\s+attempt 1\s+agt_cli tok_cli/);

    expect((await cli(["jobs", "cancel", job.id])).out).toBe(`Cancelled ${job.id} (content.draft).`);
    const again = await cli(["jobs", "cancel", job.id]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("The job is cancelled");
    expect((await cli(["jobs", "retry", job.id])).code).toBe(0);
    const json = JSON.parse((await cli(["jobs", "show", job.id, "--json"])).out);
    expect(json.job).toMatchObject({ status: "queued", attempts: 0 });
    expect(json.events.map((e: { type: string }) => e.type)).toEqual(["created", "claimed", "cancelled", "retried"]);
    expect(json.outcome).toMatchObject({ state: "awaiting_result", handler: "content.save-draft" });
  });

  it("shows what a result became, and retry-result refuses a run that succeeded", async () => {
    const { job } = await createJob({ kind: "content.draft", input: { brief: "Autumn newsletter", format: "newsletter" } });
    const claimed = (await claimJobs(agent, { kinds: ["content.draft"], limit: 10 })).find((j) => j.id === job.id);
    await completeJob(agent, job.id, claimed!.leaseId, { title: "Autumn notes", body: "Leaves." });
    const run = await waitForResultRun(job.id);
    const show = await cli(["jobs", "show", job.id]);
    expect(show.out).toMatch(/Outcome:\n\s+State:\s+done/);
    expect(show.out).toMatch(new RegExp(`Run:\\s+${run.id} \\(content\\.save-draft\\) succeeded`));
    expect(show.out).toMatch(/Draft file:\s+areas\/content\/drafts\/\d{4}-\d{2}-\d{2}-autumn-notes\.md/);
    const retry = await cli(["jobs", "retry-result", job.id]);
    expect(retry.code).toBe(1);
    expect(retry.err).toContain("succeeded; there is nothing to retry");
  });
});
