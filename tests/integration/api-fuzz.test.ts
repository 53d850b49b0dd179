import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAgent } from "@/lib/agents/service";
import { createConversation } from "@/lib/chat/conversations";
import { createWebhookSource } from "@/lib/events/manage-sources";
import { createJob } from "@/lib/jobs/create-job";
import { createSchedule } from "@/lib/schedules/save-schedule";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { allJobKinds } from "@/lib/jobs/kinds";
import { configureLogging } from "@/lib/logger";
import { API_ROUTES } from "@/app/api/openapi.json/routes.generated";
import { buildOpenApiDocument } from "@/lib/openapi/build-document";
import { userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import type { Operation } from "@/lib/openapi/types";
import type { PublicUser } from "@/lib/users/repository";
import { createUser } from "@/lib/users/service";
import { acceptable, authOf, FuzzTally, requestArbitrary, urlOf, type Auth, type FuzzRequest } from "@/tests/setup/api-fuzz-inputs";

// Property-based fuzzing of every operation in the OpenAPI document, in process (as the permission
// matrix calls routes), with the bad input of tests/setup/api-fuzz-inputs.ts, as nobody, as an agent
// with a token and as a signed-in owner. Whatever comes in,
// the answer is a 4xx (or a 2xx/3xx), never a 5xx; 503 "unavailable" means "not configured here"
// (Google OAuth, the model). Afterwards the app still answers.

let signedIn: PublicUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

type RouteFn = (req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type FuzzOperation = { method: string; template: string; op: Operation; fn: RouteFn; auth: Auth };

const ROOT = process.cwd();
const RUNS_PER_OPERATION = 32; // ≈ 100 operations → a few thousand requests
const document = buildOpenApiDocument({ serverUrl: "http://localhost", routes: API_ROUTES });
let owner: PublicUser;
let agentToken = "";
const knownIds: string[] = [];
const tally = new FuzzTally();

async function loadOperations(): Promise<FuzzOperation[]> {
  const operations: FuzzOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    const file = path.join(ROOT, "app", template.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      const fn = mod[method.toUpperCase()] as RouteFn | undefined;
      if (!fn) throw new Error(`${method.toUpperCase()} ${template} is documented but ${file} does not export it`);
      operations.push({ method: method.toUpperCase(), template, op, fn, auth: authOf(op) });
    }
  }
  return operations;
}

async function send(target: FuzzOperation, request: FuzzRequest): Promise<{ status: number; code?: string; text: string }> {
  signedIn = request.identity === "owner" ? owner : null;
  const url = "http://localhost" + urlOf(target.template, request);
  const headers: Record<string, string> = {};
  if (request.contentType) headers["content-type"] = request.contentType;
  if (request.sameOrigin) headers["sec-fetch-site"] = "same-origin";
  if (request.identity === "agent" && request.bearer !== "none") headers.authorization = `Bearer ${request.bearer === "valid" ? agentToken : "pa_at_garbage\u00ff"}`;
  const req = new NextRequest(url, { method: target.method, headers, body: request.body ?? undefined });
  const res = await target.fn(req, { params: Promise.resolve(request.params) });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    // Not JSON (a redirect, a stream, metrics text): the status is what counts.
  }
  return { status: res.status, code, text: text.slice(0, 300) };
}

let operations: FuzzOperation[] = [];

beforeAll(async () => {
  configureLogging({ level: "silent" });
  owner = (await createUser({ email: "owner@fuzz.example", role: "owner" })).user;
  const issued = await createAgent({ name: "fuzz-agent", jobKinds: allJobKinds().map((k) => k.name), pipelines: ["system.echo"] }, null);
  agentToken = (await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", "fuzz-setup")).access_token;
  const target = await createAgent({ name: "fuzz-target", jobKinds: [], pipelines: [] }, null);
  const run = await runPipeline({ name: "system.echo", input: {}, trigger: "api", actor: userActor(owner), requestId: "fuzz-setup", waitMs: 5000 });
  const source = await createWebhookSource({ name: "fuzz-source" });
  const schedule = await createSchedule({ name: "fuzz-schedule", cron: "0 9 * * 1", timezone: "UTC", pipeline: "system.echo" }, null);
  const { job } = await createJob({ kind: "research.brief", input: { topic: "fuzz", questions: ["why?"] } });
  const conversation = await createConversation(owner, "general");
  knownIds.push(target.agent.id, "fuzz-target", run.run.id, source.source.name, schedule.id, job.id, conversation.id, "general", "newsletter");
  operations = await loadOperations();
}, 120_000);

afterAll(() => console.log(tally.summary(`API fuzz, in process, ${operations.length} operations`)));

describe("fuzzing every documented operation", () => {
  it("answers generated bad input with 4xx, never 5xx, as nobody, an agent and the owner", async () => {
    expect(operations.length).toBeGreaterThan(90);
    const failures: string[] = [];
    for (const target of operations) {
      const result = await fc.check(
        fc.asyncProperty(requestArbitrary(document, target, { knownIds, validBodies: true }), async (request) => {
          const answer = await send(target, request);
          tally.count(target.auth, target.method, request.identity, answer.status);
          if (!acceptable(answer)) throw new Error(`${answer.status} ${answer.text}`);
        }),
        { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      if (result.failed) {
        const example = JSON.stringify(result.counterexample?.[0], (_, v: unknown) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 40)}…(${v.length})` : v));
        failures.push(`${target.method} ${target.template}: ${String(result.errorInstance)} — ${example} (seed ${result.seed})`);
      }
    }
    signedIn = null;
    expect(failures).toEqual([]);
  }, 180_000);

  it("still answers afterwards", async () => {
    const health = operations.find((o) => o.template === "/api/health")!;
    const res = await health.fn(new NextRequest("http://localhost/api/health"), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    signedIn = owner;
    const runs = operations.find((o) => o.template === "/api/runs" && o.method === "GET")!;
    expect((await runs.fn(new NextRequest("http://localhost/api/runs"), { params: Promise.resolve({}) })).status).toBe(200);
    signedIn = null;
  });
});
