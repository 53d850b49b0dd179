import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { nextStartArgs } from "../../scripts/lib/build";
import { freePort } from "../setup/database";
import { startOtlpReceiver, type OtlpReceiver } from "../fakes/otlp-receiver";
import { parseMetrics, valueOf } from "../setup/prometheus";
import { expectConnectedRequestTrace, expectJobSpans } from "../setup/request-trace";
import { signInForCookie } from "./setup/session";

// The production build with monitoring on, as an operator runs it: a second `next start` on the
// e2e database with METRICS_TOKEN and OTEL_EXPORTER_OTLP_ENDPOINT set, so instrumentation.ts starts
// the tracer before anything else. One HTTP request must arrive at a receiver on 127.0.0.1 as one
// connected trace (request → run → SQL → job), and Prometheus's scrape must need the token.

const { baseUrl, ownerEmail, ownerPassword, databaseUrl, dataDir } = inject("e2e");
const METRICS_TOKEN = randomBytes(18).toString("base64url");
let receiver: OtlpReceiver;
let server: ChildProcess;
let url: string;
let token: string;

async function startMonitoredServer(): Promise<void> {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  server = spawn(process.execPath, nextStartArgs(port, "127.0.0.1"), {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEYS: `obs:${randomBytes(32).toString("base64")}`,
      APP_URL: url,
      NEXTAUTH_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      METRICS_TOKEN,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: "pa-e2e",
      // Every trace, so the one this test looks for is never the one sampling dropped
      // (lib/observability/sampler.test.ts covers the default budget).
      OTEL_TRACES_SAMPLE_RATIO: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (c: Buffer) => output.push(c.toString()));
  server.stderr?.on("data", (c: Buffer) => output.push(c.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited:\n${output.join("")}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become healthy:\n${output.join("")}`);
}

type Answer = { run?: { id: string; output: { jobId: string } }; jobs?: { id: string; leaseId: string }[] };

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Answer };
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  await startMonitoredServer();
  // The agent is made by the owner on the main e2e server (same database), its token here.
  const cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
  const created = await fetch(`${baseUrl}/api/agents`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: `observed-${Date.now()}`, pipelines: ["agent-jobs.create"], jobKinds: ["research.brief"] }),
  }).then((r) => r.json() as Promise<{ clientId: string; clientSecret: string }>);
  const issued = await fetch(`${url}/api/agent/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: created.clientId, client_secret: created.clientSecret }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  token = issued.access_token;
});

afterAll(async () => {
  server?.kill("SIGTERM");
  await new Promise((r) => (server?.exitCode !== null ? r(null) : server.once("exit", r)));
  await receiver?.close();
});

describe("monitoring on a production build", () => {
  it("exports one connected trace for a request that runs a pipeline creating a job, and spans for its claim and completion", async () => {
    const requestId = `req_e2e_trace_${Date.now()}`;
    const run = await post("/api/agent/pipelines/agent-jobs.create/runs", { input: { kind: "research.brief", input: { topic: "Tariffs", questions: ["What changed?"] } } }, { "x-request-id": requestId });
    expect(run.status).toBe(200);
    const runId = run.body.run!.id;
    const jobId = run.body.run!.output.jobId;
    const claim = await post("/api/agent/jobs/claim", { kinds: ["research.brief"], limit: 1 }, { "x-request-id": `${requestId}_claim` });
    const claimed = claim.body.jobs?.find((j) => j.id === jobId);
    expect(claimed, JSON.stringify(claim.body)).toBeDefined();
    const result = { summary: "s", findings: [{ claim: "c", source: "https://example.com" }], confidence: "low" };
    const done = await post(`/api/agent/jobs/${jobId}/complete`, { leaseId: claimed!.leaseId, result }, { "x-request-id": `${requestId}_complete` });
    expect(done.status).toBe(200);

    const { request } = await expectConnectedRequestTrace(receiver, requestId, runId, jobId);
    expect(request.serviceName).toBe("pa-e2e");
    await expectJobSpans(receiver, jobId, runId, { claim: `${requestId}_claim`, complete: `${requestId}_complete` });
  });

  it("serves /api/metrics only with the token, with the request just made counted under its route template", async () => {
    expect((await fetch(`${url}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/api/metrics`, { headers: { authorization: "Bearer nope-nope-nope-nope" } })).status).toBe(401);
    expect((await fetch(`${baseUrl}/api/metrics`)).status).toBe(404); // the main e2e server has no token: off
    const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const samples = parseMetrics(await res.text());
    expect(valueOf(samples, "pa_http_requests_total", { route: "/api/agent/pipelines/[name]/runs", method: "POST", status: "200" })).toBe(1);
    expect(valueOf(samples, "pa_pipeline_runs_total", { pipeline: "agent-jobs.create", trigger: "agent", status: "succeeded" })).toBe(1);
    expect(valueOf(samples, "pa_job_outcomes_total", { kind: "research.brief", outcome: "succeeded" })).toBe(1);
    expect(valueOf(samples, "pa_metrics_database_up")).toBe(1);
  });
});
