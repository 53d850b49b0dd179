import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { DashboardPage } from "./pages/dashboard-page";
import { SignInPage } from "./pages/sign-in-page";
import { launchBrowser } from "./setup/browser";
import { signInForCookie } from "./setup/session";

// The people side against a running server: cross-site writes, redirects after sign-in, signing
// out, addresses PostgreSQL could not store, the caller's address under a forged header, and the
// pages' nonce-based Content-Security-Policy in Chromium.

const { baseUrl, ownerEmail, ownerPassword, databaseUrl } = inject("e2e");

async function query<T>(text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

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

describe("the caller's address", () => {
  // No TRUSTED_PROXIES here: the test talks to the server directly, from 127.0.0.1.
  const spoofed = { "x-forwarded-for": "203.0.113.77", "x-real-ip": "203.0.113.78" };

  it("is the connection's peer for sign-in, whatever X-Forwarded-For says", async () => {
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const email = `spoofer-${Date.now()}@e2e.test`;
    await fetch(`${baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: {
        ...spoofed,
        "content-type": "application/x-www-form-urlencoded",
        cookie: csrf.headers.getSetCookie().map((line) => line.split(";")[0]).join("; "),
      },
      body: new URLSearchParams({ csrfToken, email, password: "not the password", json: "true" }),
    });
    const attempts = await query<{ ip: string }>("SELECT ip FROM sign_in_attempts WHERE email = $1", [email]);
    expect(attempts).toEqual([{ ip: "127.0.0.1" }]);
  });

  it("is the connection's peer for the token endpoint's audit", async () => {
    const res = await fetch(`${baseUrl}/api/agent/token`, {
      method: "POST",
      headers: { ...spoofed, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "pa_rt_forged" }),
    });
    expect(res.status).toBe(401);
    const [audit] = await query<{ ip: string }>("SELECT ip FROM agent_audit_events WHERE request_id = $1", [res.headers.get("x-request-id")]);
    expect(audit?.ip).toBe("127.0.0.1");
  });
});

describe("the Content-Security-Policy", () => {
  const scriptSrc = (policy: string | null) => policy?.split("; ").find((d) => d.startsWith("script-src ")) ?? "";

  it("gives every page a fresh nonce and allows no inline script without it", async () => {
    const policies = await Promise.all([1, 2].map(async () => (await fetch(`${baseUrl}/sign-in`)).headers.get("content-security-policy")));
    const nonces = policies.map((policy) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc(policy))?.[1]);
    expect(nonces[0]).toBeDefined();
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(scriptSrc(policies[0]!)).toBe(`script-src 'self' 'nonce-${nonces[0]}' 'strict-dynamic'`);
    expect(policies[0]).toContain("frame-ancestors 'none'");
    const api = await fetch(`${baseUrl}/api/health`);
    expect(api.headers.get("content-security-policy")).toMatch(/^default-src 'none';/);
  });

  it("gives API answers the same headers whether their handler answers directly or Next.js does", async () => {
    // /api/health is answered by its handler (lib/http/direct-dispatch.ts); an unknown address by
    // Next.js's catch-all route (under /api/agent, which the proxy leaves alone), and a trailing
    // slash by Next.js's redirect.
    const direct = await fetch(`${baseUrl}/api/health`);
    const viaNext = await fetch(`${baseUrl}/api/agent/no-such-route`);
    expect(viaNext.status).toBe(404);
    const names = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy", "cross-origin-opener-policy"];
    const headersOf = (response: Response) => Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));
    expect(headersOf(direct)).toEqual(headersOf(viaNext));
    expect(headersOf(direct)["x-frame-options"]).toBe("DENY");
    expect(direct.headers.get("x-request-id")).toMatch(/^req_/);
    const redirected = await fetch(`${baseUrl}/api/health/`, { redirect: "manual" });
    expect(redirected.status).toBe(308);
  });

  it("blocks nothing the app itself runs: sign-in and the dashboard hydrate and work", async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      // Injected by the browser itself, outside the page's policy: every report is kept.
      await context.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${location.pathname}`));
      });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && /Content Security Policy/i.test(message.text())) consoleErrors.push(message.text());
      });
      const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

      const signIn = new SignInPage(page, baseUrl);
      await signIn.goto();
      expect(await violations()).toEqual([]);
      // The form signs in only from JavaScript (next-auth's client), so reaching the overview
      // means the sign-in page hydrated.
      await signIn.signIn(ownerEmail, ownerPassword);
      const dashboard = new DashboardPage(page, baseUrl);
      await dashboard.heading("Overview").waitFor();
      expect(await violations()).toEqual([]);
      await dashboard.navigate("Jobs");
      await dashboard.heading("Jobs").waitFor();
      expect(await violations()).toEqual([]);
      // Signing out is a click handler: it works only on a hydrated page.
      await dashboard.signOut();
      await page.waitForURL(/\/sign-in/);
      await page.getByRole("heading", { name: "Sign in to Personal Automations" }).waitFor();
      expect(await violations()).toEqual([]);
      expect(consoleErrors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
