import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { allJobKinds } from "@/lib/jobs/kinds";
import { configureLogging } from "@/lib/logger";
import { API_ROUTES } from "@/app/api/openapi.json/routes.generated";
import { buildOpenApiDocument } from "@/lib/openapi/build-document";
import { userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import type { Operation, Parameter, Reference } from "@/lib/openapi/types";
import type { JsonSchema } from "@/lib/pipelines/catalog";
import type { PublicUser } from "@/lib/users/repository";
import { createUser } from "@/lib/users/service";

// Property-based fuzzing of every operation in the OpenAPI document, in process (as the permission
// matrix calls routes): bodies of the wrong type, with fields missing or extra, huge, with NUL and
// lone surrogates, nested deeper than anyone should; odd path ids and query values; the wrong
// content type; as nobody, as an agent with a token and as a signed-in owner. Whatever comes in,
// the answer is a 4xx (or a 2xx/3xx), never a 5xx; 503 "unavailable" means "not configured here"
// (Google OAuth, the model). Afterwards the app still answers.

let signedIn: PublicUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

type RouteFn = (req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Identity = "nobody" | "agent" | "owner";
type FuzzOperation = { method: string; template: string; op: Operation; fn: RouteFn; auth: "public" | "agent" | "session" };
type FuzzRequest = {
  identity: Identity;
  params: Record<string, string>;
  query: string;
  contentType: string | null;
  body: string | null;
  sameOrigin: boolean;
  bearer: "valid" | "garbage" | "none";
};

const ROOT = process.cwd();
const RUNS_PER_OPERATION = 32; // ≈ 100 operations → a few thousand requests
const document = buildOpenApiDocument({ serverUrl: "http://localhost", routes: API_ROUTES });
let owner: PublicUser;
let agentToken = "";
/** Ids that exist, so some requests get past the lookup to what comes after it. */
const realIds: string[] = [];

// ---- bad values -----------------------------------------------------------------------------

const HUGE = "x".repeat(100_000);
const TOO_BIG_BODY = JSON.stringify({ input: { message: "y".repeat(1_100_000) } });

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "x\udfffy", "\ufeff", "💥", "null", "true", "-1", "1e309", "NaN", "__proto__", "constructor"),
  fc.constantFrom(HUGE, "../../../etc/passwd", "%00", "%ED%A0%80", "' OR 1=1 --", "<script>alert(1)</script>", "run_00000000000000000000000000"),
);

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e300)) },
  { weight: 1, arbitrary: fc.constantFrom(nested(70), nested(500), nested(3), [], {}, [[[]]], { __proto__: { admin: true } }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
);

const nastyId = fc.oneof(
  nastyString,
  fc.constantFrom("missing", "run_", "job_zzzzzzzzzzzzzzzzzzzzzzzzzz", "0", "-1", "99999999999999999999999", "a/b", "..", "%2e%2e", "\\", "system.echo"),
);

/** Property names of an operation's JSON body (one level, through a $ref). */
function bodyProperties(op: Operation): string[] {
  const media = op.requestBody?.content["application/json"] ?? Object.values(op.requestBody?.content ?? {})[0];
  let schema = media?.schema as JsonSchema | undefined;
  if (typeof schema?.$ref === "string") schema = document.components.schemas[schema.$ref.split("/").pop()!];
  return Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
}

function parameters(op: Operation, where: "path" | "query"): Parameter[] {
  return (op.parameters ?? []).flatMap((p: Parameter | Reference) => ("in" in p && p.in === where ? [p] : []));
}

/** A body near the documented one (its fields, some missing, some extra, all with bad values), or none of it. */
function bodyArbitrary(op: Operation): fc.Arbitrary<string> {
  const names = bodyProperties(op);
  const nearShape = fc
    .record({
      known: fc.subarray(names).chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), nastyValue)))),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 3 }),
    })
    .map(({ known, extra }) => JSON.stringify({ ...extra, ...Object.fromEntries(known) }));
  return fc.oneof(
    { weight: 5, arbitrary: nearShape },
    { weight: 2, arbitrary: nastyValue.map((value) => JSON.stringify(value) ?? "null") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        "{",
        "not json",
        '{"a":1,}',
        "[1,2",
        "1e999999",
        '"\\ud800"',
        '{"input":"\\u0000"}',
        '{"a":"\\udc00\\ud800"}',
        "\u0000",
        "[".repeat(10_000) + "]".repeat(10_000),
        `{"a":${"[".repeat(100_000)}`,
        TOO_BIG_BODY,
      ),
    },
  );
}

function queryArbitrary(op: Operation): fc.Arbitrary<string> {
  const names = [...parameters(op, "query").map((p) => p.name), "cursor", "limit", "zzz"];
  const value = fc.oneof(
    nastyString.filter((s) => s.length < 5000).map((s) => encodeURIComponent(s.toWellFormed())),
    fc.constantFrom("%00", "%ED%A0%80", "%FF", "%", "-1", "1e999", "2026-13-45", "a,b,,c", HUGE.slice(0, 8000)),
  );
  return fc
    .array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 5 })
    .map((pairs) => (pairs.length ? "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&") : ""));
}

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "text/plain",
  "text/plain; application/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zzz",
  "application/xml",
  null,
);

function requestArbitrary(target: FuzzOperation): fc.Arbitrary<FuzzRequest> {
  const write = !["GET", "HEAD"].includes(target.method);
  const pathParams = parameters(target.op, "path").map((p) => p.name);
  return fc.record({
    // Mostly the identity the route takes, so the fuzz reaches its validation; sometimes another.
    identity: fc.oneof(
      { weight: 3, arbitrary: fc.constant<Identity>(target.auth === "agent" ? "agent" : target.auth === "session" ? "owner" : "nobody") },
      { weight: 1, arbitrary: fc.constantFrom<Identity>("nobody", "agent", "owner") },
    ),
    params: fc.record(Object.fromEntries(pathParams.map((name) => [name, fc.oneof(nastyId, fc.constantFrom(...realIds))]))),
    query: queryArbitrary(target.op),
    contentType: write ? contentTypes : fc.constant(null),
    body: write ? bodyArbitrary(target.op) : fc.constant(null),
    sameOrigin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    bearer: fc.constantFrom("valid", "valid", "garbage", "none"),
  }) as fc.Arbitrary<FuzzRequest>;
}

// ---- calling the routes --------------------------------------------------------------------

async function loadOperations(): Promise<FuzzOperation[]> {
  const operations: FuzzOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    const file = path.join(ROOT, "app", template.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      const fn = mod[method.toUpperCase()] as RouteFn | undefined;
      if (!fn) throw new Error(`${method.toUpperCase()} ${template} is documented but ${file} does not export it`);
      const auth = op.security?.length === 0 ? "public" : op.security?.some((s) => "bearerAuth" in s) ? "agent" : "session";
      operations.push({ method: method.toUpperCase(), template, op, fn, auth });
    }
  }
  return operations;
}

async function send(target: FuzzOperation, request: FuzzRequest): Promise<{ status: number; code?: string; text: string }> {
  signedIn = request.identity === "owner" ? owner : null;
  const url = "http://localhost" + target.template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params[name]!.toWellFormed())) + request.query;
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

/** 5xx is a bug, except 503 "unavailable": an integration this instance has not configured. */
const acceptable = (answer: { status: number; code?: string }) => answer.status < 500 || (answer.status === 503 && answer.code === "unavailable");

const tally = new Map<string, { requests: number; statuses: Map<number, number> }>();
function count(target: FuzzOperation, identity: Identity, status: number) {
  const key = `${target.auth} route as ${identity}`.padEnd(26) + (target.method === "GET" ? "reads" : "writes");
  const entry = tally.get(key) ?? { requests: 0, statuses: new Map() };
  entry.requests++;
  entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
  tally.set(key, entry);
}

let operations: FuzzOperation[] = [];

beforeAll(async () => {
  configureLogging({ level: "silent" });
  owner = (await createUser({ email: "owner@fuzz.example", role: "owner" })).user;
  const issued = await createAgent({ name: "fuzz-agent", jobKinds: allJobKinds().map((k) => k.name), pipelines: ["system.echo"] }, null);
  agentToken = (await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", "fuzz-setup")).access_token;
  const target = await createAgent({ name: "fuzz-target", jobKinds: [], pipelines: [] }, null);
  const run = await runPipeline({ name: "system.echo", input: {}, trigger: "api", actor: userActor(owner), requestId: "fuzz-setup", waitMs: 5000 });
  realIds.push(target.agent.id, "fuzz-target", run.run.id);
  operations = await loadOperations();
}, 120_000);

afterAll(() => {
  const lines = [...tally.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { requests, statuses }]) => {
      const seen = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(" ");
      return `  ${key.padEnd(34)} ${String(requests).padStart(5)}  ${seen}`;
    });
  const total = [...tally.values()].reduce((sum, entry) => sum + entry.requests, 0);
  console.log(`API fuzz: ${total} requests over ${operations.length} operations\n${lines.join("\n")}`);
});

describe("fuzzing every documented operation", () => {
  it("answers generated bad input with 4xx, never 5xx, as nobody, an agent and the owner", async () => {
    expect(operations.length).toBeGreaterThan(90);
    const failures: string[] = [];
    for (const target of operations) {
      const result = await fc.check(
        fc.asyncProperty(requestArbitrary(target), async (request) => {
          const answer = await send(target, request);
          count(target, request.identity, answer.status);
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
