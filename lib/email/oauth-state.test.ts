import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { withEnv } from "@/tests/setup/config-env";
import { createOAuthState, DEFAULT_RETURN_TO, oauthStateCookieOptions, returnToFromCookie, verifyOAuthState } from "./oauth-state";

// The Gmail OAuth state: a random value in the consent URL, vouched for by a signed cookie that
// names the user, where to return and when it expires.

const STALE = "The Gmail connection request expired or was started in another browser; connect again.";
const now = new Date("2026-03-01T10:00:00Z");
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a refusal");
}

/** The cookie's payload and signature, base64url-decoded. */
function split(cookie: string) {
  const [body, signature] = cookie.split(".");
  return { payload: JSON.parse(Buffer.from(body!, "base64url").toString("utf8")) as Record<string, unknown>, signature: signature! };
}

const resign = (cookie: string, changes: Record<string, unknown>) =>
  `${Buffer.from(JSON.stringify({ ...split(cookie).payload, ...changes })).toString("base64url")}.${split(cookie).signature}`;

describe("Gmail OAuth state", () => {
  it("creates an unguessable state and a cookie that vouches for it, for this user, for ten minutes", () => {
    const a = createOAuthState({ userId: "usr_a", returnTo: "/triage?tab=review", now });
    const b = createOAuthState({ userId: "usr_a", returnTo: "/triage?tab=review", now });
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(a.state).not.toBe(b.state);
    expect(a.expiresAt).toEqual(later(600));
    expect(split(a.cookie).payload).toEqual({ state: a.state, userId: "usr_a", returnTo: "/triage?tab=review", expiresAt: later(600).getTime() });

    expect(verifyOAuthState({ stateParam: a.state, cookieValue: a.cookie, userId: "usr_a", now: later(599) })).toEqual({ returnTo: "/triage?tab=review" });
  });

  it("defaults returnTo to /triage", () => {
    const { state, cookie } = createOAuthState({ userId: "usr_a", now });
    expect(verifyOAuthState({ stateParam: state, cookieValue: cookie, userId: "usr_a", now })).toEqual({ returnTo: DEFAULT_RETURN_TO });
    expect(DEFAULT_RETURN_TO).toBe("/triage");
  });

  it("refuses a returnTo that could leave the site", () => {
    for (const returnTo of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "triage", "", "/tri\nage", "javascript:alert(1)"]) {
      const error = refusal(() => createOAuthState({ userId: "usr_a", returnTo, now }));
      expect(error.code, returnTo).toBe("bad_request");
      expect(error.message).toBe("returnTo must be a path on this site, starting with a single /.");
    }
  });

  it("refuses an expired state, saying to connect again", () => {
    const { state, cookie } = createOAuthState({ userId: "usr_a", now });
    const error = refusal(() => verifyOAuthState({ stateParam: state, cookieValue: cookie, userId: "usr_a", now: later(600) }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toBe(STALE);
  });

  it("refuses a state without its cookie, or with another connection's cookie (another browser, a forged link)", () => {
    const mine = createOAuthState({ userId: "usr_a", now });
    const other = createOAuthState({ userId: "usr_a", now });
    for (const [stateParam, cookieValue] of [
      [mine.state, undefined],
      [mine.state, ""],
      [mine.state, other.cookie],
      [undefined, mine.cookie],
      ["", mine.cookie],
    ]) {
      const error = refusal(() => verifyOAuthState({ stateParam, cookieValue, userId: "usr_a", now }));
      expect(error).toMatchObject({ code: "bad_request", message: STALE });
    }
  });

  it("refuses a cookie whose payload was changed, or that was signed with another secret", async () => {
    const { state, cookie } = createOAuthState({ userId: "usr_a", now });
    // A longer life, another user or another destination: the signature no longer matches.
    for (const changes of [{ expiresAt: later(86_400).getTime() }, { userId: "usr_b" }, { returnTo: "/elsewhere" }]) {
      const error = refusal(() => verifyOAuthState({ stateParam: state, cookieValue: resign(cookie, changes), userId: "usr_a", now }));
      expect(error.message).toBe(STALE);
    }
    for (const garbage of ["x", "a.b", `${cookie}.extra`, `${cookie.split(".")[0]}.`, "%%%.%%%"]) {
      expect(refusal(() => verifyOAuthState({ stateParam: state, cookieValue: garbage, userId: "usr_a", now })).message).toBe(STALE);
    }
    const elsewhere = await withEnv({ AUTH_SECRET: "another-secret-that-is-long-enough-9876543210" }, async () => createOAuthState({ userId: "usr_a", now }));
    expect(refusal(() => verifyOAuthState({ stateParam: elsewhere.state, cookieValue: elsewhere.cookie, userId: "usr_a", now })).message).toBe(STALE);
  });

  it("refuses a state started by another user in the same browser", () => {
    const { state, cookie } = createOAuthState({ userId: "usr_a", now });
    const error = refusal(() => verifyOAuthState({ stateParam: state, cookieValue: cookie, userId: "usr_b", now }));
    expect(error).toMatchObject({ code: "bad_request", message: "This Gmail connection was started while signed in as someone else; connect again." });
  });

  it("takes a failed callback's destination only from a cookie it signed", () => {
    const { cookie } = createOAuthState({ userId: "usr_a", returnTo: "/settings", now });
    expect(returnToFromCookie(cookie)).toBe("/settings");
    expect(returnToFromCookie(resign(cookie, { returnTo: "//evil.example" }))).toBe("/triage");
    expect(returnToFromCookie(undefined)).toBe("/triage");
  });

  it("makes the cookie httpOnly, SameSite=Lax, for the callback path only, Secure when the app is on https", async () => {
    expect(oauthStateCookieOptions()).toEqual({ httpOnly: true, sameSite: "lax", secure: false, path: "/api/email/oauth", maxAge: 600 });
    await withEnv({ APP_URL: "https://automations.example.com" }, async () => {
      expect(oauthStateCookieOptions(0)).toMatchObject({ secure: true, maxAge: 0 });
    });
  });
});
