import { expect } from "vitest";
import { descendantsOf, type OtlpReceiver, type ReceivedSpan } from "@/tests/fakes/otlp-receiver";

// What one HTTP request that runs agent-jobs.create must leave in the trace, in-process or against
// `next start`: request span → pipeline run span → SQL spans, and the job.create span (with its
// own SQL) under the run; every one of ours carrying the request id, the run's carrying the run id.

export async function expectConnectedRequestTrace(receiver: OtlpReceiver, requestId: string, runId: string, jobId: string) {
  const request = await receiver.waitFor((s) => s.attributes["pa.request_id"] === requestId && s.attributes["http.route"] === "/api/agent/pipelines/[name]/runs");
  expect(request.name).toBe("POST /api/agent/pipelines/[name]/runs");
  expect(request.kind).toBe(2); // SERVER
  expect(request.attributes["http.response.status_code"]).toBe(200);
  const job = await receiver.waitFor((s) => s.name === "job.create" && s.attributes["pa.job_id"] === jobId);

  const below = descendantsOf(receiver.spans, request);
  const run = below.find((s) => s.name === "pipeline.run agent-jobs.create");
  expect(run, below.map((s) => s.name).join(", ")).toBeDefined();
  expect(run!.parentSpanId).toBe(request.spanId);
  expect(run!.attributes).toMatchObject({ "pa.request_id": requestId, "pa.run_id": runId, "pa.pipeline": "agent-jobs.create", "pa.trigger": "agent", "pa.run_status": "succeeded" });

  const underRun = descendantsOf(receiver.spans, run!);
  const queries = underRun.filter((s) => s.attributes["db.system.name"] === "postgresql");
  expect(queries.length).toBeGreaterThan(0);
  expect(queries.some((q) => q.parentSpanId === run!.spanId)).toBe(true);
  for (const q of queries) expect(q.attributes).toMatchObject({ "pa.request_id": requestId, "pa.run_id": runId });

  expect(job.traceId).toBe(request.traceId);
  expect(job.parentSpanId).toBe(run!.spanId);
  expect(job.attributes).toMatchObject({ "pa.request_id": requestId, "pa.run_id": runId, "pa.job_kind": "research.brief" });
  const jobInsert = descendantsOf(receiver.spans, job).find((s) => /INSERT INTO agent_jobs\b/.test(String(s.attributes["db.query.text"])));
  expect(jobInsert, "the job's INSERT under job.create").toBeDefined();
  return { request, run: run!, job };
}

/** The agent's claim and completion, in their own requests' traces, name the job and the run that made it. */
export async function expectJobSpans(receiver: OtlpReceiver, jobId: string, runId: string, requestIds: { claim: string; complete: string }) {
  const claim: ReceivedSpan = await receiver.waitFor((s) => s.name === "job.claim" && s.attributes["pa.job_id"] === jobId);
  expect(claim.attributes).toMatchObject({ "pa.job_created_by_run": runId, "pa.request_id": requestIds.claim });
  const complete = await receiver.waitFor((s) => s.name === "job.complete" && s.attributes["pa.job_id"] === jobId);
  expect(complete.attributes).toMatchObject({ "pa.job_outcome": "succeeded", "pa.request_id": requestIds.complete, "pa.job_kind": "research.brief" });
  const claimRequest = receiver.spans.find((s) => s.spanId === claim.parentSpanId);
  expect(claimRequest?.name).toBe("POST /api/agent/jobs/claim");
}
