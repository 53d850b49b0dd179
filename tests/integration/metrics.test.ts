import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { POST as runRoute } from "@/app/api/agent/pipelines/[name]/runs/route";
import { POST as claimRoute } from "@/app/api/agent/jobs/claim/route";
import { POST as completeRoute } from "@/app/api/agent/jobs/[id]/complete/route";
import { POST as failRoute } from "@/app/api/agent/jobs/[id]/fail/route";
import { POST as webhookRoute } from "@/app/api/webhooks/[source]/route";
import { drain } from "@/inngest/in-process-driver";
import { createAgent } from "@/lib/agents/service";
import { autocommit } from "@/lib/db/transaction";
import { getPool } from "@/lib/db/client";
import { makeSource, subscribe, webhookRequest } from "@/lib/events/test-kit";
import { expireLeases } from "@/lib/jobs/expire-leases";
import { newId } from "@/lib/ids";
import { waitForRun } from "@/lib/pipelines/runner";
import { runScheduleSlot } from "@/lib/schedules/run-slot";
import { startSlotBatch } from "@/lib/schedules/start-slot-batch";
import { insertTestSlot, makeSchedule, runsOfSchedule } from "@/lib/schedules/test-kit";
import { callRoute, clientCredentialsToken } from "@/tests/agents/agent-http";
import { setEnv, withEnv } from "@/tests/setup/config-env";
import { metricFamilies, parseMetrics, sumOf, valueOf, type Sample } from "@/tests/setup/prometheus";

// Real activity through the route handlers and services (a pipeline run over HTTP creating a job,
// an agent claiming, completing and failing jobs, a lease expiring, a schedule slot, webhooks),
// then a scrape of GET /api/metrics: each family has the values that activity must produce.
// Counters are process-wide, so activity is measured as the difference between two scrapes.

const TOKEN = "scrape-token-0123456789abcdef";
const KIND = "research.brief";
const briefInput = { topic: "Freight rates", questions: ["What changed in Q3?"] };
const briefResult = { summary: "Rates rose.", findings: [{ claim: "Up 4%", source: "https://example.com/rates" }], confidence: "medium" };

let restoreEnv: () => void;
let token: string;
let agentName: string;

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const req = new Request("http://localhost/api/metrics", { headers });
  const { NextRequest } = await import("next/server");
  const res = await metricsRoute(new NextRequest(req), { params: Promise.resolve({}) });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

async function samples(): Promise<{ text: string; samples: Sample[] }> {
  const answer = await scrape();
  expect(answer.status).toBe(200);
  return { text: answer.text, samples: parseMetrics(answer.text) };
}

const runPipelineOverHttp = (name: string, input: unknown) =>
  callRoute(runRoute, `/api/agent/pipelines/${name}/runs`, { token, body: { input }, params: { name } });

async function createJobOverHttp(): Promise<string> {
  const answer = await runPipelineOverHttp("agent-jobs.create", { kind: KIND, input: briefInput });
  expect(answer.status).toBe(200);
  return (answer.json.run as { output: { jobId: string } }).output.jobId;
}

async function claimOne(): Promise<{ id: string; leaseId: string }> {
  const answer = await callRoute(claimRoute, "/api/agent/jobs/claim", { token, body: { kinds: [KIND], limit: 1 } });
  expect(answer.status).toBe(200);
  const [job] = answer.json.jobs as { id: string; leaseId: string }[];
  return job!;
}

beforeAll(async () => {
  restoreEnv = setEnv({ METRICS_TOKEN: TOKEN });
  const created = await createAgent({ name: "metrics-worker", pipelines: ["agent-jobs.create"], jobKinds: [KIND] }, null);
  agentName = created.agent.name;
  token = (await clientCredentialsToken(created.clientId, created.clientSecret)).access_token;
});

afterAll(() => restoreEnv());

describe("GET /api/metrics", () => {
  it("is off (404) without METRICS_TOKEN, and 401 without the token or with a wrong one", async () => {
    const off = await withEnv({ METRICS_TOKEN: undefined }, () => scrape());
    expect(off.status).toBe(404);
    expect(JSON.parse(off.text).error.message).toMatch(/METRICS_TOKEN/);
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: "Bearer wrong-token-0123456789abcdef" })).status).toBe(401);
    expect((await scrape({ authorization: TOKEN })).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toContain("text/plain");
    expect(ok.text).toContain("# TYPE pa_http_requests_total counter");
  });

  it("counts requests, runs, jobs, leases, schedule slots and webhooks, and reads queue state from the database", async () => {
    const before = (await samples()).samples;

    // A pipeline run over HTTP creates a job; the agent claims and completes it.
    const first = await createJobOverHttp();
    const claimed = await claimOne();
    expect(claimed.id).toBe(first);
    const done = await callRoute(completeRoute, `/api/agent/jobs/${first}/complete`, { token, body: { leaseId: claimed.leaseId, result: briefResult }, params: { id: first } });
    expect(done.status).toBe(200);

    // A second job fails once (retryable: back in the queue after a backoff).
    const second = await createJobOverHttp();
    const lease2 = await claimOne();
    expect(lease2.id).toBe(second);
    const failed = await callRoute(failRoute, `/api/agent/jobs/${second}/fail`, { token, body: { leaseId: lease2.leaseId, message: "site down" }, params: { id: second } });
    expect(failed.json.status).toBe("queued");

    // A third one's holder goes quiet on its last attempt: the sweep marks it dead.
    const third = await createJobOverHttp();
    expect((await claimOne()).id).toBe(third);
    await autocommit().agentJob.update({ where: { id: third }, data: { leaseExpiresAt: new Date(Date.now() - 1000), maxAttempts: 1 } });
    expect(await expireLeases()).toEqual({ requeued: 0, dead: 1 });

    // A fourth waits, claimable for 100 s already; a second agent that may do it has been silent 10 minutes.
    const fourth = await createJobOverHttp();
    await autocommit().agentJob.update({ where: { id: fourth }, data: { availableAt: new Date(Date.now() - 100_000) } });
    const silent = await createAgent({ name: "silent-worker", pipelines: [], jobKinds: [KIND] }, null);
    await autocommit().agent.update({ where: { id: silent.agent.id }, data: { lastSeenAt: new Date(Date.now() - 600_000) } });

    // Schedules of one pipeline (system.echo): two slots fire 30 s and 40 s after their time, one
    // started alone (run-slot.ts) and one in a batch (start-slot-batch.ts); two schedules are 2 and
    // 10 minutes overdue, a third is on time.
    const alone = await makeSchedule({ nextRunAt: null });
    const batched = await makeSchedule({ nextRunAt: null });
    await runScheduleSlot(await insertTestSlot(alone.id, { slotAt: new Date(Date.now() - 30_000) }));
    const [aloneRun] = await runsOfSchedule(alone.id);
    await waitForRun(aloneRun!.id, 10_000);
    const { started } = await startSlotBatch([await insertTestSlot(batched.id, { slotAt: new Date(Date.now() - 40_000) })]);
    expect(started).toHaveLength(1);
    await started[0]!.done;
    const late = [await makeSchedule({ nextRunAt: new Date(Date.now() - 120_000) }), await makeSchedule({ nextRunAt: new Date(Date.now() - 600_000) })];
    const onTime = await makeSchedule({ nextRunAt: new Date(Date.now() + 60_000) });

    // Webhooks: one processed, one whose pipeline fails, a duplicate delivery, and one stored but not yet dispatched.
    const okSource = await makeSource("metrics-ok");
    await subscribe("metrics-ok", "*", "system.echo", { message: "$.message" });
    const badSource = await makeSource("metrics-bad");
    await subscribe("metrics-bad", "*", "context.read", { path: "../../etc", tier: "overview" });
    const deliver = (source: string, secret: string, delivery?: string) =>
      webhookRoute(webhookRequest(source, { secret, delivery }), { params: Promise.resolve({ source }) });
    expect((await deliver("metrics-ok", okSource.secret, "d-1")).status).toBe(202);
    expect((await deliver("metrics-ok", okSource.secret, "d-1")).status).toBe(200);
    expect((await deliver("metrics-bad", badSource.secret)).status).toBe(202);
    expect((await deliver("metrics-bad", "not-the-secret")).status).toBe(401);
    await drain();
    await autocommit().webhookEvent.create({
      data: { id: newId("evt"), sourceId: okSource.id, deliveryId: "stored-while-down", headers: {}, rawBody: "{}", payload: {}, status: "received" },
    });
    await autocommit().webhookEvent.create({
      data: { id: newId("evt"), sourceId: badSource.id, deliveryId: "out-of-retries", headers: {}, rawBody: "{}", payload: {}, status: "dead" },
    });

    const { text, samples: after } = await samples();
    const delta = (name: string, labels: Record<string, string> = {}) => sumOf(after, name, labels) - sumOf(before, name, labels);

    // HTTP: by route template (no ids), method and status, with durations.
    const runsRoute = { route: "/api/agent/pipelines/[name]/runs", method: "POST", status: "200" };
    expect(delta("pa_http_requests_total", runsRoute)).toBe(4);
    expect(delta("pa_http_request_duration_seconds_count", runsRoute)).toBe(4);
    expect(delta("pa_http_requests_total", { route: "/api/agent/jobs/[id]/complete", method: "POST", status: "200" })).toBe(1);
    expect(delta("pa_http_requests_total", { route: "/api/webhooks/[source]", status: "401" })).toBe(1);
    expect(after.some((s) => s.name === "pa_http_requests_total" && /job_|run_|metrics-ok/.test(s.labels.route ?? ""))).toBe(false);

    // Pipeline runs by pipeline, trigger and status, with durations.
    expect(delta("pa_pipeline_runs_total", { pipeline: "agent-jobs.create", trigger: "agent", status: "succeeded" })).toBe(4);
    expect(delta("pa_pipeline_run_duration_seconds_count", { pipeline: "agent-jobs.create", trigger: "agent", status: "succeeded" })).toBe(4);
    expect(delta("pa_pipeline_runs_total", { pipeline: "system.echo", trigger: "schedule", status: "succeeded" })).toBe(2);
    expect(delta("pa_pipeline_runs_total", { pipeline: "system.echo", trigger: "event", status: "succeeded" })).toBe(1);
    expect(delta("pa_pipeline_runs_total", { pipeline: "context.read", trigger: "event", status: "failed" })).toBe(1);

    // Jobs: claims, outcomes, lease expiries; queue state from the database.
    expect(delta("pa_job_claims_total", { kind: KIND })).toBe(3);
    expect(delta("pa_job_outcomes_total", { kind: KIND, outcome: "succeeded" })).toBe(1);
    expect(delta("pa_job_outcomes_total", { kind: KIND, outcome: "requeued" })).toBe(1);
    expect(delta("pa_job_lease_expiries_total", { outcome: "dead" })).toBe(1);
    expect(valueOf(after, "pa_job_queue_depth", { kind: KIND })).toBe(2);
    expect(valueOf(after, "pa_job_queue_oldest_age_seconds", { kind: KIND })).toBeGreaterThanOrEqual(100);
    expect(valueOf(after, "pa_job_queue_oldest_age_seconds", { kind: KIND })).toBeLessThan(130);
    expect(valueOf(after, "pa_jobs_claimed", { kind: KIND })).toBe(0);
    expect(valueOf(after, "pa_jobs_dead", { kind: KIND })).toBe(1);

    // Agents: last seen, and the claimable work each could be doing.
    expect(valueOf(after, "pa_agent_last_seen_age_seconds", { agent: agentName })).toBeLessThan(60);
    expect(valueOf(after, "pa_agent_last_seen_age_seconds", { agent: "silent-worker" })).toBeGreaterThanOrEqual(600);
    expect(valueOf(after, "pa_agent_waiting_jobs", { agent: "silent-worker" })).toBe(1);

    // Schedules, by pipeline: both slots in one series (30 s + 40 s late); the most overdue schedule
    // (10 minutes) and how many are overdue (2 of 3).
    const echo = { pipeline: "system.echo" };
    const seriesOf = (name: string) => after.filter((s) => s.name === name && s.labels.pipeline === echo.pipeline);
    expect(seriesOf("pa_schedule_slots_fired_total")).toEqual([{ name: "pa_schedule_slots_fired_total", labels: { ...echo, kind: "regular" }, value: expect.any(Number) }]);
    expect(delta("pa_schedule_slots_fired_total", { ...echo, kind: "regular" })).toBe(2);
    expect(delta("pa_schedule_slot_lateness_seconds_count", { ...echo, kind: "regular" })).toBe(2);
    const lateness = delta("pa_schedule_slot_lateness_seconds_sum", echo);
    expect(lateness).toBeGreaterThanOrEqual(70);
    expect(lateness).toBeLessThan(130);
    expect(seriesOf("pa_schedule_overdue_seconds")).toHaveLength(1);
    expect(valueOf(after, "pa_schedule_overdue_seconds", echo)).toBeGreaterThanOrEqual(600);
    expect(valueOf(after, "pa_schedule_overdue_seconds", echo)).toBeLessThan(660);
    expect(valueOf(after, "pa_schedules_overdue", echo)).toBe(2);
    // Bounded: no series is labelled by a schedule (its name is user data, one per schedule).
    const scheduleNames = new Set([alone, batched, ...late, onTime].map((s) => s.name));
    expect(after.filter((s) => "schedule" in s.labels || Object.values(s.labels).some((v) => scheduleNames.has(v)))).toEqual([]);

    // Webhooks: received by source and outcome; failed, dead and waiting from the database.
    expect(delta("pa_webhook_events_received_total", { source: "metrics-ok", outcome: "received" })).toBe(1);
    expect(delta("pa_webhook_events_received_total", { source: "metrics-ok", outcome: "duplicate" })).toBe(1);
    expect(delta("pa_webhook_events_received_total", { source: "metrics-bad", outcome: "received" })).toBe(1);
    expect(valueOf(after, "pa_webhook_events_failed", { source: "metrics-bad" })).toBe(1);
    expect(valueOf(after, "pa_webhook_events_failed", { source: "metrics-ok" })).toBe(0);
    expect(valueOf(after, "pa_webhook_events_dead", { source: "metrics-bad" })).toBe(1);
    expect(valueOf(after, "pa_webhook_events_dead", { source: "metrics-ok" })).toBe(0);
    expect(valueOf(after, "pa_webhook_events_waiting", { source: "metrics-ok" })).toBe(1);
    expect(valueOf(after, "pa_metrics_database_up")).toBe(1);

    // Process metrics come along (memory, CPU, event loop).
    expect(metricFamilies(text).get("pa_process_resident_memory_bytes")).toBe("gauge");
  });

  it("still answers when the database cannot be read, saying so", async () => {
    const pool = getPool();
    const original = pool.query.bind(pool);
    (pool as unknown as { query: unknown }).query = () => Promise.reject(new Error("connection refused"));
    try {
      const answer = await scrape();
      expect(answer.status).toBe(200);
      expect(valueOf(parseMetrics(answer.text), "pa_metrics_database_up")).toBe(0);
    } finally {
      (pool as unknown as { query: unknown }).query = original;
    }
  });
});
