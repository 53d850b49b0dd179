import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { OpenApiDocument, Operation } from "@/lib/openapi/types";
import { acceptable, authOf, FuzzTally, requestArbitrary, urlOf, type FuzzRequest } from "@/tests/setup/api-fuzz-inputs";
import { signInForCookie } from "./setup/session";

// A slice of the API fuzz test (tests/integration/api-fuzz.test.ts) through the built server: the
// operations of the document it serves, a few generated bad requests each, through Next's own
// request parsing, routing and proxy. No 5xx, and /api/health answers afterwards. The server and
// database are shared with the other e2e files, so the agent used here has an empty scope (it can
// claim nobody's jobs) and no real ids are used.

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");
// More with E2E_FUZZ_RUNS=N, to hunt for a rare failure (each failure prints its seed to replay).
const RUNS_PER_OPERATION = Number(process.env.E2E_FUZZ_RUNS) || 4;
// Failures there count against the caller's address, which the other e2e files share.
const SKIPPED = new Set(["POST /api/agent/token"]);

let document: OpenApiDocument;
let cookie = "";
let agentToken = "";
let agentId = "";
const tally = new FuzzTally();

async function send(method: string, template: string, request: FuzzRequest): Promise<{ status: number; code?: string; text: string }> {
  const headers: Record<string, string> = {};
  if (request.contentType) headers["content-type"] = request.contentType;
  if (request.sameOrigin) headers["sec-fetch-site"] = "same-origin";
  if (request.identity === "owner") headers.cookie = cookie;
  if (request.identity === "agent" && request.bearer !== "none") headers.authorization = `Bearer ${request.bearer === "valid" ? agentToken : "pa_at_garbage"}`;
  const res = await fetch(baseUrl + urlOf(template, request), { method, headers, body: request.body ?? undefined, redirect: "manual" });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    // Not JSON: the status is what counts.
  }
  return { status: res.status, code, text: text.slice(0, 300) };
}

/** The error with its cause: a "fetch failed" says why only there (reset, closed, refused). */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return `${String(error)}${cause ? ` (cause: ${String((cause as { code?: string }).code ?? cause)})` : ""}`;
}

beforeAll(async () => {
  document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
  cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
  const owner = { cookie, "content-type": "application/json", "sec-fetch-site": "same-origin" };
  const created = await fetch(`${baseUrl}/api/agents`, {
    method: "POST",
    headers: owner,
    body: JSON.stringify({ name: `e2e-fuzz-${Date.now()}`, jobKinds: [], pipelines: [] }),
  });
  const { agent, clientId, clientSecret } = (await created.json()) as { agent: { id: string }; clientId: string; clientSecret: string };
  agentId = agent.id;
  const token = await fetch(`${baseUrl}/api/agent/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
  agentToken = ((await token.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  console.log(tally.summary("API fuzz, through the built server"));
  if (agentId) await fetch(`${baseUrl}/api/agents/${agentId}`, { method: "DELETE", headers: { cookie, "sec-fetch-site": "same-origin" } });
});

describe("fuzzing the built server", () => {
  it("answers generated bad input to every documented operation without a 5xx, and stays up", async () => {
    const failures: string[] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [lower, op] of Object.entries(item) as [string, Operation][]) {
        const method = lower.toUpperCase();
        if (SKIPPED.has(`${method} ${template}`)) continue;
        const result = await fc.check(
          fc.asyncProperty(requestArbitrary(document, { method, op }), async (request) => {
            const answer = await send(method, template, request);
            tally.count(authOf(op), method, request.identity, answer.status);
            if (!acceptable(answer)) throw new Error(`${answer.status} ${answer.text}`);
          }),
          { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        );
        if (result.failed) failures.push(`${method} ${template}: ${describeFailure(result.errorInstance)} (seed ${result.seed}, counterexample ${JSON.stringify(result.counterexample)?.slice(0, 300)})`);
      }
    }
    expect(tally.total).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    const health = await fetch(`${baseUrl}/api/health`);
    expect(health.status).toBe(200);
  }, 300_000);
});
