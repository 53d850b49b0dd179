import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as runRoute } from "@/app/api/agent/pipelines/[name]/runs/route";
import { createAgent } from "@/lib/agents/service";
import { flushTraces, startTracing } from "@/lib/observability/tracing";
import { callRoute } from "@/tests/setup/route-call";
import { clientCredentialsToken } from "@/tests/agents/agent-http";
import { startOtlpReceiver, type OtlpReceiver } from "@/tests/fakes/otlp-receiver";
import { setEnv } from "@/tests/setup/config-env";

// Sampling decided once per request. A request whose trace the sampler drops runs without any span
// or context switch (lib/observability/tracing.ts withRequestSpan), and nothing under it (its run,
// its SQL, the job it creates) may start a trace of its own: every exported span belongs to the
// trace of a kept request. Half of the traces are kept here, decided per trace id, so with each
// request's run, queries and job asking again, a leak would show as traces without a request.

const REQUESTS = 24;

let receiver: OtlpReceiver;
let restoreEnv: () => void;
let token: string;
let before: number;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  restoreEnv = setEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_PER_SECOND: "0", OTEL_TRACES_SAMPLE_RATIO: "0.5" });
  expect(await startTracing()).toBe(true);
  const created = await createAgent({ name: "sampled", pipelines: ["agent-jobs.create"], jobKinds: ["research.brief"] }, null);
  token = (await clientCredentialsToken(created.clientId, created.clientSecret)).access_token;
  // The token request's own trace (if kept) is exported now, before the requests counted below.
  await flushTraces();
  before = receiver.spans.length;
});

afterAll(async () => {
  restoreEnv();
  await receiver.close();
});

describe("sampling per request", () => {
  it("exports whole traces of the kept requests and not one span of the dropped ones", async () => {
    for (let i = 0; i < REQUESTS; i++) {
      const answer = await callRoute(runRoute, "/api/agent/pipelines/agent-jobs.create/runs", {
        method: "POST",
        params: { name: "agent-jobs.create" },
        headers: { authorization: `Bearer ${token}`, "x-request-id": `req_sampled_${i}` },
        body: { input: { kind: "research.brief", input: { topic: `Topic ${i}`, questions: ["Kept?"] } } },
      });
      expect(answer.status).toBe(200);
    }
    await flushTraces();

    const spans = receiver.spans.slice(before);
    const requests = spans.filter((s) => s.kind === 2 && String(s.attributes["pa.request_id"] ?? "").startsWith("req_sampled_"));
    // 24 coin flips: all heads or all tails is a 1 in 8 million chance.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.length).toBeLessThan(REQUESTS);
    const keptTraces = new Set(requests.map((s) => s.traceId));
    expect(keptTraces.size).toBe(requests.length);
    const orphans = spans.filter((s) => !keptTraces.has(s.traceId));
    expect(orphans.map((s) => s.name)).toEqual([]);
    for (const request of requests) {
      const trace = spans.filter((s) => s.traceId === request.traceId);
      expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^pipeline\.run agent-jobs\.create/), "job.create"]));
    }
  });
});
