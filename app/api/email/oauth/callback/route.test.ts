import { Writable } from "node:stream";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RouteHandler } from "@/tests/setup/route-call";
import * as connectRoute from "@/app/api/email/connect/route";
import * as callbackRoute from "@/app/api/email/oauth/callback/route";
import { decryptSecret } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { tokenContexts } from "@/lib/email/accounts";
import { createOAuthState, OAUTH_STATE_COOKIE } from "@/lib/email/oauth-state";
import { configureLogging } from "@/lib/logger";
import { googleEnv, startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { envForFile, withEnv } from "@/tests/setup/config-env";

// Connecting Gmail through the routes a browser navigates: /api/email/connect → the fake Google
// consent screen → /api/email/oauth/callback → back to the app. The session check itself needs a
// Next request scope and is covered by the HTTP tier; here the signed-in user is set per test.

const session = vi.hoisted(() => ({ userId: "usr_owner" }));
vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => ({ id: session.userId, email: `${session.userId}@example.com`, name: null, role: "owner" }),
}));
vi.mock("@/inngest/dispatch", () => ({ dispatchBackground: async () => {} }));

let fake: FakeGmail;
beforeAll(async () => {
  fake = await startFakeGmail({ email: "me@example.com" });
});
afterAll(() => fake.close());
envForFile(() => ({
  APP_URL: "http://localhost:3000",
  ...googleEnv(fake),
}));

const logs: string[] = [];
beforeAll(() => {
  configureLogging({ level: "debug", destination: new Writable({ write: (chunk, _enc, done) => void (logs.push(String(chunk)), done()) }) });
});
afterAll(() => configureLogging({}));
beforeEach(() => {
  session.userId = "usr_owner";
});

const CALLBACK = "http://localhost:3000/api/email/oauth/callback";
const STALE = "The Gmail connection request expired or was started in another browser; connect again.";

const call = (handler: RouteHandler, url: string, cookie?: string) =>
  handler(new NextRequest(url, { headers: cookie ? { cookie: `${OAUTH_STATE_COOKIE}=${cookie}` } : {} }), { params: Promise.resolve({}) });

/** The state cookie a response sets: its value and attributes. */
function stateCookie(res: Response) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${OAUTH_STATE_COOKIE}=`));
  if (!line) return null;
  const [pair, ...attributes] = line.split(/;\s*/);
  // Next adds Expires beside Max-Age; Max-Age is the one browsers go by.
  const kept = attributes.map((a) => a.toLowerCase()).filter((a) => !a.startsWith("expires="));
  return { value: pair!.slice(OAUTH_STATE_COOKIE.length + 1), attributes: kept.sort() };
}

/** GET /api/email/connect, then the fake consent screen: the callback URL Google would send the browser to. */
async function consent(query = "") {
  const res = await call(connectRoute.GET, `http://localhost:3000/api/email/connect${query}`);
  expect(res.status).toBe(302);
  const cookie = stateCookie(res)!.value;
  const google = await fetch(res.headers.get("location")!, { redirect: "manual" });
  expect(google.status).toBe(302);
  const callback = new URL(google.headers.get("location")!);
  return { cookie, callback, code: callback.searchParams.get("code")!, state: callback.searchParams.get("state")! };
}

const accountCount = () => autocommit().emailAccount.count();

async function tokensOf(id: string) {
  const row = await autocommit().emailAccount.findUniqueOrThrow({ where: { id }, select: { accessTokenEncrypted: true, refreshTokenEncrypted: true } });
  return [decryptSecret(row.accessTokenEncrypted!, tokenContexts.accessToken(id)), decryptSecret(row.refreshTokenEncrypted!, tokenContexts.refreshToken(id))];
}

/** The redirect after the callback: where it goes, and the connected/connectError parameters. */
function landing(res: Response) {
  expect(res.status).toBe(303);
  const url = new URL(res.headers.get("location")!);
  return { url, path: url.pathname, connected: url.searchParams.get("connected"), connectError: url.searchParams.get("connectError") };
}

describe("GET /api/email/connect", () => {
  it("sends the browser to Google's consent screen for gmail.modify, offline, with a state the cookie vouches for", async () => {
    const res = await call(connectRoute.GET, "http://localhost:3000/api/email/connect?returnTo=/triage&loginHint=me@example.com");
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(fake.authUrl);
    const q = location.searchParams;
    expect(q.get("client_id")).toBe(fake.clientId);
    expect(q.get("redirect_uri")).toBe(CALLBACK);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("scope")).toBe("https://www.googleapis.com/auth/gmail.modify");
    expect(q.get("access_type")).toBe("offline");
    expect(q.get("prompt")).toBe("consent");
    expect(q.get("login_hint")).toBe("me@example.com");
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const cookie = stateCookie(res)!;
    expect(cookie.attributes).toEqual(["httponly", "max-age=600", "path=/api/email/oauth", "samesite=lax"]);
    expect(cookie.value).not.toContain(q.get("state")); // the state is inside the signed payload, not beside it
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("sets a Secure cookie when the app is served over https", async () => {
    await withEnv({ APP_URL: "https://automations.example.com" }, async () => {
      const res = await call(connectRoute.GET, "https://automations.example.com/api/email/connect");
      expect(new URL(res.headers.get("location")!).searchParams.get("redirect_uri")).toBe("https://automations.example.com/api/email/oauth/callback");
      expect(stateCookie(res)!.attributes).toContain("secure");
    });
  });

  it("answers 503 with a JSON error when no Google OAuth client is configured", async () => {
    await withEnv({ GOOGLE_CLIENT_ID: undefined, GOOGLE_CLIENT_SECRET: undefined }, async () => {
      const res = await call(connectRoute.GET, "http://localhost:3000/api/email/connect");
      expect(res.status).toBe(503);
      expect(stateCookie(res)).toBeNull();
      expect((await res.json()).error).toEqual({
        code: "unavailable",
        message: "Gmail is not configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see .env.example).",
      });
    });
  });

  it("refuses a returnTo off the site", async () => {
    const res = await call(connectRoute.GET, `http://localhost:3000/api/email/connect?returnTo=${encodeURIComponent("//evil.example/x")}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("validation_failed");
  });
});

describe("GET /api/email/oauth/callback", () => {
  it("stores the account, queues its first backfill and returns to where the connection started, without a token anywhere", async () => {
    const { cookie, callback, code } = await consent("?returnTo=" + encodeURIComponent("/triage?tab=review"));
    const res = await call(callbackRoute.GET, callback.toString(), cookie);
    const { url, path, connected } = landing(res);
    expect(path).toBe("/triage");
    expect(url.origin).toBe("http://localhost:3000");
    expect(url.searchParams.get("tab")).toBe("review");
    expect(connected).toMatch(/^eml_/);

    const account = await autocommit().emailAccount.findUniqueOrThrow({ where: { id: connected! } });
    expect(account).toMatchObject({ emailAddress: "me@example.com", status: "connected", createdBy: "usr_owner" });
    const runs = await autocommit().$queryRaw<{ kind: string; status: string; trigger: string; requested_by: string }[]>`
      SELECT kind, status, trigger, requested_by FROM triage_sync_runs WHERE account_id = ${connected}`;
    expect(runs).toEqual([{ kind: "backfill", status: "queued", trigger: "backfill", requested_by: "usr_owner" }]);

    // One use: the cookie is cleared. Nothing the browser gets carries the code or a token.
    expect(stateCookie(res)!.attributes).toContain("max-age=0");
    expect(stateCookie(res)!.value).toBe("");
    const visible = [res.headers.get("location"), ...res.headers.getSetCookie(), await res.text()].join("\n");
    for (const secret of [code, ...(await tokensOf(connected!))]) {
      expect(visible).not.toContain(secret);
      expect(logs.join("")).not.toContain(secret);
    }
  });

  it("refuses a callback whose state does not match the cookie (a forged link), storing nothing", async () => {
    const before = await accountCount();
    const mine = await consent();
    const forged = await consent(); // someone else's code and state, sent to this browser
    const res = await call(callbackRoute.GET, forged.callback.toString(), mine.cookie);
    expect(landing(res)).toMatchObject({ path: "/triage", connected: null, connectError: STALE });
    expect(await accountCount()).toBe(before);
    expect(stateCookie(res)!.attributes).toContain("max-age=0");

    const noCookie = await call(callbackRoute.GET, forged.callback.toString());
    expect(landing(noCookie)).toMatchObject({ connectError: STALE });
    expect(await accountCount()).toBe(before);
  });

  it("refuses a state started by another user in the same browser", async () => {
    const before = await accountCount();
    const { cookie, callback } = await consent("?returnTo=/settings");
    session.userId = "usr_other";
    const res = await call(callbackRoute.GET, callback.toString(), cookie);
    expect(landing(res)).toMatchObject({
      path: "/settings",
      connected: null,
      connectError: "This Gmail connection was started while signed in as someone else; connect again.",
    });
    expect(await accountCount()).toBe(before);
  });

  it("refuses an expired state", async () => {
    const before = await accountCount();
    const { state, cookie } = createOAuthState({ userId: "usr_owner", now: new Date(Date.now() - 11 * 60_000) });
    const res = await call(callbackRoute.GET, `${CALLBACK}?code=${encodeURIComponent(fake.issueCode())}&state=${state}`, cookie);
    expect(landing(res)).toMatchObject({ connected: null, connectError: STALE });
    expect(await accountCount()).toBe(before);
  });

  it("says access was not granted when the user cancels on the consent screen", async () => {
    const before = await accountCount();
    const { cookie, state } = await consent();
    const res = await call(callbackRoute.GET, `${CALLBACK}?error=access_denied&state=${state}`, cookie);
    expect(landing(res)).toMatchObject({ path: "/triage", connected: null, connectError: "Gmail access was not granted; connect again and allow access to your email." });
    expect(await accountCount()).toBe(before);
  });

  it("reports a code Google refuses without repeating the code, in the redirect or the log", async () => {
    const { cookie, callback, code } = await consent();
    await fetch(fake.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: fake.clientId, client_secret: fake.clientSecret, redirect_uri: CALLBACK }),
    }); // spent elsewhere first
    const logged = logs.length;
    const res = await call(callbackRoute.GET, callback.toString(), cookie);
    expect(landing(res)).toMatchObject({ connected: null, connectError: "The Google sign-in code is invalid, expired or already used; connect the account again." });
    expect(res.headers.get("location")).not.toContain(code);
    const failure = logs.slice(logged).join("");
    expect(failure).toContain("Gmail connection failed");
    expect(failure).not.toContain(code);
  });
});
