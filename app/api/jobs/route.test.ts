import { describe, expect, it, vi } from "vitest";
import * as retryApprovalRoute from "@/app/api/approvals/[id]/retry/route";
import * as jobRoute from "@/app/api/jobs/[id]/route";
import * as retryResultRoute from "@/app/api/jobs/[id]/retry-result/route";
import { autocommit } from "@/lib/db/transaction";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";
import { createJob } from "@/lib/jobs/create-job";
import { waitForResultRun } from "@/lib/jobs/result-handler";
import { callRoute } from "@/tests/setup/route-call";

// The job's outcome and the two retries through their route handlers: the answers and the error
// mapping (the session check and the cross-site refusal belong to the wrapper, tested with it).

vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => ({ id: "usr_test", email: "owner@example.com", name: "Owner", role: "owner" }),
}));

const agent = { agentId: "agt_routes", agentName: "routes", tokenId: "tok_routes", jobKinds: ["content.draft"], pipelines: [] };

describe("job outcome and retry routes", () => {
  it("answers the outcome, retries a failed result run once (202) and refuses the rest", async () => {
    const { job } = await createJob({ kind: "content.draft", input: { brief: "Routes", format: "blog-post" } });
    const [claimed] = await claimJobs(agent, { kinds: ["content.draft"] });
    await completeJob(agent, job.id, claimed!.leaseId, { title: "Route check", body: "Body." });
    const run = await waitForResultRun(job.id);

    const shown = await callRoute(jobRoute.GET, `/api/jobs/${job.id}`, { params: { id: job.id } });
    expect(shown.status).toBe(200);
    expect(shown.json.outcome).toMatchObject({ state: "done", run: { id: run.id }, artifact: { type: "content-draft" } });

    const refused = await callRoute(retryResultRoute.POST, `/api/jobs/${job.id}/retry-result`, { params: { id: job.id }, method: "POST" });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain("succeeded; there is nothing to retry");

    await autocommit().pipelineRun.update({ where: { id: run.id }, data: { status: "failed", error: { code: "internal", message: "boom" } } });
    const retried = await callRoute(retryResultRoute.POST, `/api/jobs/${job.id}/retry-result`, { params: { id: job.id }, method: "POST" });
    expect(retried.status).toBe(202);
    expect(retried.json.run).toMatchObject({ pipeline: "content.save-draft", idempotencyKey: `job-result:${job.id}:after:${run.id}` });
    expect((await waitForResultRun(job.id)).id).toBe(retried.json.run.id);

    const missing = await callRoute(retryResultRoute.POST, "/api/jobs/job_nope/retry-result", { params: { id: "job_nope" }, method: "POST" });
    expect(missing.status).toBe(404);
    const noApproval = await callRoute(retryApprovalRoute.POST, "/api/approvals/apr_nope/retry", { params: { id: "apr_nope" }, method: "POST" });
    expect(noApproval.status).toBe(404);
  });
});
