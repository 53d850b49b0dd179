import { beforeAll, describe, expect, inject, it } from "vitest";
import { signInForCookie } from "./setup/session";

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");
let cookie: string;

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { cookie, "content-type": "application/json", ...init.headers },
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const startRun = (name: string, body: unknown, query = "") =>
  api(`/api/pipelines/${name}/runs${query}`, { method: "POST", body: JSON.stringify(body) });

describe("pipelines API (signed in)", () => {
  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
  });

  it("lists every pipeline with input and output JSON Schemas", async () => {
    const { status, body } = await api("/api/pipelines");
    expect(status).toBe(200);
    const names = body.pipelines.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(["system.echo", "notes.capture", "context.read", "context.search"]));
    const echo = body.pipelines.find((p: { name: string }) => p.name === "system.echo");
    expect(echo.inputSchema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { message: { type: "string", maxLength: 2000, default: "ping" } },
    });
    expect(echo.outputSchema.required).toEqual(expect.arrayContaining(["message", "actor", "trigger", "serverTime"]));
  });

  it("runs a pipeline and records it with trigger api and the user as actor", async () => {
    const { status, body, headers } = await startRun("system.echo", { input: { message: "hello" } });
    expect(status).toBe(200);
    expect(body.run).toMatchObject({
      status: "succeeded",
      trigger: "api",
      output: { message: "hello", actor: ownerEmail },
      actor: { type: "user", label: ownerEmail },
      requestId: headers.get("x-request-id"),
    });
    const listed = await api(`/api/runs?pipeline=system.echo&trigger=api`);
    expect(listed.body.runs.map((r: { id: string }) => r.id)).toContain(body.run.id);
  });

  it("answers 400 with field-level messages for invalid input, and 404 for an unknown pipeline", async () => {
    const bad = await startRun("system.echo", { input: { message: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.details.issues).toEqual([{ path: "message", message: expect.any(String) }]);
    const missing = await startRun("no.such-thing", { input: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('There is no pipeline named "no.such-thing"');
    const notJson = await fetch(`${baseUrl}/api/pipelines/system.echo/runs`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{oops" });
    expect(notJson.status).toBe(400);
  });

  it("refuses ../ in a context path: the run fails with a clear error, not a 500", async () => {
    const { status, body } = await startRun("context.read", { input: { path: "../../etc", tier: "overview" } });
    expect(status).toBe(422);
    expect(body.error.code).toBe("run_failed");
    expect(body.run.status).toBe("failed");
    expect(body.run.error.code).toBe("forbidden");
    const detail = await api(`/api/runs/${body.run.id}`);
    expect(detail.body.run.error.message).toMatch(/outside the context hub/);
  });

  it("returns the same run for a repeated idempotency key", async () => {
    const first = await startRun("system.echo", { input: { message: "once" }, idempotencyKey: "e2e-key-1" });
    const second = await startRun("system.echo", { input: { message: "twice" }, idempotencyKey: "e2e-key-1" });
    expect(second.body.run.id).toBe(first.body.run.id);
    expect(second.body.run.output.message).toBe("once");
    expect(second.headers.get("x-idempotent-replay")).toBe("true");
    const viaHeader = await startRun("system.echo", { input: { message: "three" } }, "");
    expect(viaHeader.body.run.id).not.toBe(first.body.run.id);
  });

  it("answers 202 with the run when asked not to wait, and the run can be fetched until it finishes", async () => {
    const { status, body, headers } = await startRun("system.echo", { input: {} }, "?wait=0");
    expect(status).toBe(202);
    expect(headers.get("location")).toBe(`/api/runs/${body.run.id}`);
    await expect.poll(async () => (await api(`/api/runs/${body.run.id}`)).body.run.status).toBe("succeeded");
  });

  it("rejects bad list filters with 400 and pages with a cursor", async () => {
    expect((await api("/api/runs?status=exploded")).status).toBe(400);
    expect((await api("/api/runs?limit=0")).status).toBe(400);
    const page = await api("/api/runs?limit=1");
    expect(page.body.runs).toHaveLength(1);
    const next = await api(`/api/runs?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.runs[0].id < page.body.runs[0].id).toBe(true);
    expect((await api("/api/runs/run_doesnotexist")).status).toBe(404);
  });
});
