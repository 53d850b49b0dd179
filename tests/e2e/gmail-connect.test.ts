import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { remoteFakeGmail } from "../fakes/gmail-remote";
import { screenshot } from "./setup/browser";
import { openSignedIn, type SignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, gmailUrl } = inject("e2e");
const gmail = remoteFakeGmail(gmailUrl);

// Connecting Gmail end to end: the production build's connect route, the fake Google consent screen
// (which approves at once) and token endpoint, the callback, and the account list, in headless
// Chromium signed in as the owner.

const ADDRESS = "inbox@e2e.test";
// What a token looks like anywhere: the fake's access and refresh tokens, a sealed value.
const TOKEN_LIKE = /ya29\.|1\/\/|v1\.e2e\.|accessToken|refreshToken|access_token|refresh_token/;

describe("connecting Gmail (browser)", () => {
  let signedIn: SignedIn;
  beforeAll(async () => {
    signedIn = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword });
  });
  afterAll(async () => {
    await signedIn?.browser.close();
  });

  it("goes to Google's consent screen and back to /triage with the account connected, no token in sight", async () => {
    const { page, context } = signedIn;
    const visited: string[] = [];
    page.on("request", (request) => void (request.isNavigationRequest() && visited.push(request.url())));

    // The last hop's URL, read from the response: the triage page tidies its address bar once loaded.
    const response = await page.goto(`${baseUrl}/api/email/connect?returnTo=/triage&loginHint=${encodeURIComponent(ADDRESS)}`);
    const landed = new URL(response!.url());
    expect(landed.pathname).toBe("/triage");
    const accountId = landed.searchParams.get("connected")!;
    expect(accountId).toMatch(/^eml_[0-9a-z]{26}$/);
    expect(landed.origin).toBe(baseUrl);
    expect(landed.searchParams.has("connectError")).toBe(false);

    // The way there: the consent screen for gmail.modify with a state, then the callback with a code.
    const consent = new URL(visited.find((u) => u.startsWith(gmail.authUrl))!);
    expect(consent.searchParams.get("scope")).toContain("https://www.googleapis.com/auth/gmail.modify");
    expect(consent.searchParams.get("redirect_uri")).toBe(`${baseUrl}/api/email/oauth/callback`);
    expect(consent.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const callback = new URL(visited.find((u) => u.startsWith(`${baseUrl}/api/email/oauth/callback`))!);
    expect(callback.searchParams.get("state")).toBe(consent.searchParams.get("state"));
    expect(landed.toString()).not.toContain(callback.searchParams.get("code")!);

    // The one-use state cookie is gone; no cookie carries a token.
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).not.toContain("pa_gmail_oauth");
    expect(JSON.stringify(cookies)).not.toMatch(/ya29\.|1\/\//);
    await screenshot(page, "gmail-connected");

    const res = await context.request.get(`${baseUrl}/api/email/accounts`);
    expect(res.status()).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { accounts: { id: string; emailAddress: string; status: string; scopes: string[] }[]; googleConfigured: boolean };
    expect(body.googleConfigured).toBe(true);
    // Other tests may have connected the same or other addresses: this one is listed once.
    expect(body.accounts.filter((a) => a.emailAddress === ADDRESS)).toEqual([
      expect.objectContaining({ id: accountId, emailAddress: ADDRESS, status: "connected", scopes: ["https://www.googleapis.com/auth/gmail.modify"] }),
    ]);
    expect(text).not.toMatch(TOKEN_LIKE);

    const one = await context.request.get(`${baseUrl}/api/email/accounts/${accountId}`);
    expect(one.status()).toBe(200);
    expect(await one.text()).not.toMatch(TOKEN_LIKE);
  });

  it("sends the browser back with a message, not a JSON page, when the state is not this browser's", async () => {
    const { page } = signedIn;
    const stale = `${baseUrl}/api/email/oauth/callback?code=4%2Ffake-code-forged&state=${"x".repeat(43)}`;
    const response = await page.goto(stale);
    const landed = new URL(response!.url());
    expect(landed.pathname).toBe("/triage");
    expect(landed.searchParams.get("connectError")).toBe("The Gmail connection request expired or was started in another browser; connect again.");
    expect(landed.toString()).not.toContain("fake-code-forged");
  });
});
