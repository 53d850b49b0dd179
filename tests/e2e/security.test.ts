import { describe, expect, inject, it } from "vitest";
import { signInForCookie } from "./setup/session";

// The people side against a running server: cross-site writes, redirects after sign-in, signing
// out, and addresses PostgreSQL could not store.

const { baseUrl, ownerEmail, ownerPassword } = inject("e2e");

const echo = (cookie: string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/api/pipelines/system.echo/runs?wait=5`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", ...headers },
    body: JSON.stringify({ input: { message: "from the test" } }),
  });

async function signOut(cookie: string): Promise<void> {
  const { csrfToken } = (await (await fetch(`${baseUrl}/api/auth/csrf`, { headers: { cookie } })).json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  expect(res.status).toBeLessThan(400);
}

describe("cross-site requests with a session", () => {
  it("refuses a write from another site, and one that only pretends to be JSON, running nothing", async () => {
    const cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    const foreign: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of foreign) {
      const res = await echo(cookie, headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(/^Cross-site request refused/);
    }
    const plain = await echo(cookie, { "content-type": "text/plain; application/json" });
    expect(plain.status).toBe(415);
    // The same request from the app's own pages goes through.
    expect((await echo(cookie, { origin: baseUrl, "sec-fetch-site": "same-origin" })).status).toBe(200);
  });
});

describe("signing out", () => {
  it("ends the session on the server: the old cookie no longer works", async () => {
    const cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
    expect((await fetch(`${baseUrl}/api/runs?limit=1`, { headers: { cookie } })).status).toBe(200);
    await signOut(cookie);
    const replayed = await fetch(`${baseUrl}/api/runs?limit=1`, { headers: { cookie } });
    expect(replayed.status).toBe(401);
    const page = await fetch(`${baseUrl}/settings`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).not.toBe(200);
  });
});

describe("redirects after sign-in", () => {
  it.each(["/\\evil.example", "//evil.example", "https://evil.example/", "/\t/evil.example"])(
    "never leave the site for callbackUrl=%s",
    async (callbackUrl) => {
      const cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
      const res = await fetch(`${baseUrl}/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`, { headers: { cookie }, redirect: "manual" });
      expect([302, 303, 307]).toContain(res.status);
      expect(new URL(res.headers.get("location")!, baseUrl).origin).toBe(new URL(baseUrl).origin);
      expect(res.headers.get("location")).not.toContain("evil.example");
    },
  );
});

describe("addresses PostgreSQL cannot store", () => {
  it.each(["/api/runs/run_%00", "/api/runs?status=%00", "/api/runs/%ED%A0%80", "/runs/run_%00", "/api/agent/jobs/job_%00"])(
    "answers %s with 400, not 500",
    async (path) => {
      const cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
      const res = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
      expect(res.status).toBe(400);
    },
  );
});
