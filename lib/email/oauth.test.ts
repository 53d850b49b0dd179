import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { GmailProvider } from "./gmail-provider";
import { buildConsentUrl, exchangeCode, GMAIL_SCOPES } from "./oauth";

let fake: FakeGmail;
const redirectUri = "http://localhost:3000/api/email/google/callback";
const state = "st_0123456789abcdefghij";

beforeAll(async () => {
  fake = await startFakeGmail();
});
afterAll(() => fake.close());

const settings = () => ({
  clientId: fake.clientId,
  clientSecret: fake.clientSecret,
  redirectUri,
  endpoints: { gmailRootUrl: fake.url, tokenUrl: fake.tokenUrl, revokeUrl: fake.revokeUrl },
});

describe("Google OAuth for Gmail", () => {
  it("asks for gmail.modify only, offline access, a fresh consent and carries the state", () => {
    const url = new URL(buildConsentUrl({ ...settings(), state, loginHint: "me@example.com" }));
    expect(`${url.origin}${url.pathname}`).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(url.searchParams.get("scope")).toBe("https://www.googleapis.com/auth/gmail.modify");
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("state")).toBe(state);
    expect(url.searchParams.get("client_id")).toBe(fake.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe(redirectUri);
    expect(url.searchParams.get("login_hint")).toBe("me@example.com");
    expect(url.searchParams.has("client_secret")).toBe(false);
  });

  it("uses a configured consent endpoint and refuses a guessable state", () => {
    const url = buildConsentUrl({ ...settings(), endpoints: { authUrl: "http://127.0.0.1:9/auth" }, state });
    expect(url.startsWith("http://127.0.0.1:9/auth?")).toBe(true);
    expect(() => buildConsentUrl({ ...settings(), state: "1" })).toThrow(AppError);
  });

  it("exchanges a code for tokens that then work against Gmail", async () => {
    const tokens = await exchangeCode(settings(), fake.issueCode());
    expect(tokens.scopes).toEqual([...GMAIL_SCOPES]);
    // The refresh token is the one the token endpoint issued for this code.
    expect(tokens.refreshToken).toMatch(/^1\/\/fake-[A-Za-z0-9_-]{24}$/);
    expect(tokens.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(fake.tokenRequests.at(-1)!.grantType).toBe("authorization_code");

    const provider = new GmailProvider({ ...settings(), tokens, retries: 0 });
    expect((await provider.getProfile()).emailAddress).toBe(fake.email);
  });

  it("turns a used or forged code and a wrong client secret into clear errors", async () => {
    const code = fake.issueCode();
    await exchangeCode(settings(), code);
    const reused = await exchangeCode(settings(), code).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(AppError);
    expect((reused as AppError).code).toBe("bad_request");
    expect((reused as AppError).message).toMatch(/connect the account again/);

    const wrongSecret = await exchangeCode({ ...settings(), clientSecret: "nope" }, fake.issueCode()).catch((e: unknown) => e);
    expect((wrongSecret as AppError).code).toBe("internal");
    expect((wrongSecret as AppError).message).toMatch(/client id or secret/);
    expect((wrongSecret as AppError).message).not.toContain("nope");
  });
});
