import { describe, expect, inject, it } from "vitest";

const { baseUrl } = inject("e2e");

describe("HTTP surface without a session", () => {
  it("answers GET /api/health with the database status", async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.database.status).toBe("up");
    expect(body.database.version).toMatch(/^\d+/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("echoes a caller's x-request-id", async () => {
    const res = await fetch(`${baseUrl}/api/health`, { headers: { "x-request-id": "trace-abc-12345" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc-12345");
  });

  it.each(["/api/pipelines", "/api/anything/else", "/api/runs?x=1"])("answers %s with 401 JSON", async (path) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { "x-request-id": "unauth-test-0001" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({
      error: { code: "unauthorized", message: "Sign in to use this endpoint" },
      requestId: "unauth-test-0001",
    });
  });

  it.each(["/", "/settings"])("redirects the page %s to sign-in", async (path) => {
    const res = await fetch(`${baseUrl}${path}`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(res.status);
    expect(new URL(res.headers.get("location")!, baseUrl).pathname).toBe("/sign-in");
  });

  it("serves the sign-in page itself without a session", async () => {
    const res = await fetch(`${baseUrl}/sign-in`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Sign in to Personal Automations");
  });

  it("refuses a forged session cookie", async () => {
    const res = await fetch(`${baseUrl}/api/anything`, {
      headers: { cookie: "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.forged.forged.forged" },
    });
    expect(res.status).toBe(401);
  });
});
