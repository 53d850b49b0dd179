import { beforeAll, describe, expect, inject, it } from "vitest";
import { signInForCookie } from "./setup/session";

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");

// Unknown things answer 404 for real: detail pages with an id that does not exist (not a 404 card
// served with 200), unknown pages, and unknown API routes (JSON, never the HTML page).
describe("404s (HTTP, signed in)", () => {
  let cookie = "";
  beforeAll(async () => {
    cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
  });

  const missing = "01jzzzzzzzzzzzzzzzzzzzzzzz";
  it.each([
    `/runs/run_${missing}`,
    "/runs/not-a-run-id",
    "/pipelines/no.such-pipeline",
    `/jobs/job_${missing}`,
    `/schedules/sch_${missing}`,
    `/schedules/sch_${missing}/edit`,
    `/events/evt_${missing}`,
    `/agents/agt_${missing}`,
    "/areas/no-such-area",
    `/chat/conv_${missing}`,
    "/context/no/such/file.md",
    "/no-such-page",
    "/runs/run_x/deeper/still",
  ])("answers %s with a 404 page", async (address) => {
    const res = await fetch(`${baseUrl}${address}`, { headers: { cookie }, redirect: "manual" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  it.each([
    ["GET", "/api/no-such-endpoint"],
    ["GET", `/api/runs/run_${missing}/nothing-here`],
    ["POST", "/api/pipelines/system.echo/nothing-here"],
    ["DELETE", "/api/nope/nope"],
  ])("answers %s %s with JSON 404 to a signed-in user", async (method, address) => {
    const res = await fetch(`${baseUrl}${address}`, { method, headers: { cookie, "x-request-id": "e2e-404-check-1" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = await res.json();
    expect(body).toMatchObject({ error: { code: "not_found" }, requestId: "e2e-404-check-1" });
    expect(body.error.message).toContain(address);
  });

  it("answers an unknown address under a public API prefix with JSON 404 without a session", async () => {
    const res = await fetch(`${baseUrl}/api/agent/no-such-thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers a known API resource that does not exist with JSON 404", async () => {
    const res = await fetch(`${baseUrl}/api/runs/run_${missing}`, { headers: { cookie } });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });
});
