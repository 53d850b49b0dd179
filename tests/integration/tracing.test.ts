import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as runRoute } from "@/app/api/agent/pipelines/[name]/runs/route";
import { POST as claimRoute } from "@/app/api/agent/jobs/claim/route";
import { POST as completeRoute } from "@/app/api/agent/jobs/[id]/complete/route";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { createAgent } from "@/lib/agents/service";
import { flushTraces, startTracing, tracingEnabled, withSpan } from "@/lib/observability/tracing";
import { getDb } from "@/lib/db/client";
import { callRoute } from "@/tests/setup/route-call";
import { clientCredentialsToken } from "@/tests/agents/agent-http";
import { startOtlpReceiver, type OtlpReceiver } from "@/tests/fakes/otlp-receiver";
import { setEnv } from "@/tests/setup/config-env";
import { expectConnectedRequestTrace, expectJobSpans } from "@/tests/setup/request-trace";

// Tracing in-process: the real SDK and OTLP/HTTP exporter sending to a receiver on 127.0.0.1; one
// request to run agent-jobs.create gives one connected trace request → run → SQL → job.
// (tests/e2e/observability.test.ts checks the same against `next start`, set up by instrumentation.ts.)

let receiver: OtlpReceiver;
let restoreEnv: () => void;
let token: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Every trace: the budget sampler (lib/observability/sampler.test.ts) would drop the third of
  // three requests in one second, and this test follows each of them.
  restoreEnv = setEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "pa-test", OTEL_TRACES_SAMPLE_RATIO: "1" });
  // Before the first query: the pool traces its statements only if tracing was on when it was made.
  expect(await startTracing()).toBe(true);
  const created = await createAgent({ name: "tracer", pipelines: ["agent-jobs.create"], jobKinds: ["research.brief"] }, null);
  token = (await clientCredentialsToken(created.clientId, created.clientSecret)).access_token;
});

afterAll(async () => {
  restoreEnv();
  await receiver.close();
});

describe("OpenTelemetry traces", () => {
  it("follows one request through the run, its queries and the job it creates, then the job's claim and completion", async () => {
    expect(tracingEnabled()).toBe(true);
    const auth = { authorization: `Bearer ${token}` };
    const requestId = "req_trace_in_process_1";
    const answer = await callRoute(runRoute, "/api/agent/pipelines/agent-jobs.create/runs", {
      method: "POST",
      params: { name: "agent-jobs.create" },
      headers: { ...auth, "x-request-id": requestId },
      body: { input: { kind: "research.brief", input: { topic: "Rates", questions: ["Why?"] } } },
    });
    expect(answer.status).toBe(200);
    const runId = answer.json.run.id as string;
    const jobId = answer.json.run.output.jobId as string;

    const claimed = await callRoute(claimRoute, "/api/agent/jobs/claim", { method: "POST", headers: { ...auth, "x-request-id": "req_trace_claim_1" }, body: { limit: 1 } });
    expect(claimed.json.jobs[0].id).toBe(jobId);
    const result = { summary: "s", findings: [{ claim: "c", source: "https://example.com" }], confidence: "low" };
    const completed = await callRoute(completeRoute, `/api/agent/jobs/${jobId}/complete`, {
      method: "POST",
      params: { id: jobId },
      headers: { ...auth, "x-request-id": "req_trace_complete_1" },
      body: { leaseId: claimed.json.jobs[0].leaseId, result },
    });
    expect(completed.status).toBe(200);

    await flushTraces();
    expect(receiver.contentTypes[0]).toBe("application/json");
    const { request } = await expectConnectedRequestTrace(receiver, requestId, runId, jobId);
    expect(request.serviceName).toBe("pa-test");
    await expectJobSpans(receiver, jobId, runId, { claim: "req_trace_claim_1", complete: "req_trace_complete_1" });
  });

  it("continues a caller's sampled trace, and makes no span at all in a caller's unsampled one", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const run = (requestId: string, flags: string) =>
      callRoute(runRoute, "/api/agent/pipelines/agent-jobs.create/runs", {
        method: "POST",
        params: { name: "agent-jobs.create" },
        headers: { ...auth, "x-request-id": requestId, traceparent: `00-${callerTrace}-00f067aa0ba902b7-${flags}` },
        body: { input: { kind: "research.brief", input: { topic: "Traced", questions: ["Whose trace?"] } } },
      });
    expect((await run("req_trace_caller_sampled", "01")).status).toBe(200);
    expect((await run("req_trace_caller_unsampled", "00")).status).toBe(200);
    await flushTraces();
    const request = await receiver.waitFor((s) => s.attributes["pa.request_id"] === "req_trace_caller_sampled" && s.kind === 2);
    expect(request.traceId).toBe(callerTrace);
    expect(request.parentSpanId).toBe("00f067aa0ba902b7");
    expect(receiver.spans.filter((s) => s.attributes["pa.request_id"] === "req_trace_caller_unsampled")).toEqual([]);
  });

  it("makes no trace of a monitor's poll (health check, Prometheus scrape), though every trace is kept", async () => {
    expect((await callRoute(healthRoute, "/api/health", { headers: { "x-request-id": "req_trace_health_1" } })).status).toBe(200);
    await callRoute(metricsRoute, "/api/metrics", { headers: { "x-request-id": "req_trace_metrics_1" } });
    await withSpan("traced work", {}, async () => undefined);
    await flushTraces();
    await receiver.waitFor((s) => s.name === "traced work");
    // Every span under a request carries its id (the request's own, its queries'), so none may have these.
    expect(receiver.spans.filter((s) => ["req_trace_health_1", "req_trace_metrics_1"].includes(String(s.attributes["pa.request_id"])))).toEqual([]);
  });

  it("starts no trace for a statement outside any traced work (a background poll)", async () => {
    await getDb().$queryRaw`SELECT 'outside-any-trace' AS marker`;
    await withSpan("traced work", {}, () => getDb().$queryRaw`SELECT 'inside-a-trace' AS marker`);
    await flushTraces();
    const statements = receiver.spans.map((s) => String(s.attributes["db.query.text"] ?? ""));
    expect(statements.some((text) => text.includes("inside-a-trace"))).toBe(true);
    expect(statements.some((text) => text.includes("outside-any-trace"))).toBe(false);
  });
});
