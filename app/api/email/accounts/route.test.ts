import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { callRoute, type RouteHandler } from "@/tests/setup/route-call";
import * as accountRoute from "@/app/api/email/accounts/[id]/route";
import * as accountsRoute from "@/app/api/email/accounts/route";
import { decryptSecret } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { connectGmailAccount, emailAccountDtoSchema, gmailProviderFor, tokenContexts } from "@/lib/email/accounts";
import { googleEnv, startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { envForFile, withEnv } from "@/tests/setup/config-env";

// The connected accounts through their routes: listed and read without tokens, disconnected with
// the grant revoked at (the fake) Google, push stopped and the tokens deleted. A signed-in owner
// is assumed; the session check is covered by the HTTP tier.

vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => ({ id: "usr_owner", email: "owner@example.com", name: "Owner", role: "owner" }),
}));

let fake: FakeGmail;
beforeAll(async () => {
  fake = await startFakeGmail({ email: "me@example.com" });
});
afterAll(() => fake.close());
envForFile(() => googleEnv(fake));

const call = (handler: RouteHandler, path: string, params: Record<string, string> = {}, method = "GET") => callRoute(handler, path, { params, method });

const connect = (email: string) => connectGmailAccount({ code: fake.issueCode(email), redirectUri: "http://localhost:3000/api/email/oauth/callback", createdBy: "usr_owner" });

async function tokensOf(id: string) {
  const row = await autocommit().emailAccount.findUniqueOrThrow({ where: { id }, select: { accessTokenEncrypted: true, refreshTokenEncrypted: true } });
  return {
    sealed: [row.accessTokenEncrypted, row.refreshTokenEncrypted],
    accessToken: row.accessTokenEncrypted && decryptSecret(row.accessTokenEncrypted, tokenContexts.accessToken(id)),
    refreshToken: row.refreshTokenEncrypted && decryptSecret(row.refreshTokenEncrypted, tokenContexts.refreshToken(id)),
  };
}

const refreshWorks = async (refreshToken: string) =>
  (
    await fetch(fake.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: fake.clientId, client_secret: fake.clientSecret }),
    })
  ).ok;

const DTO_KEYS = Object.keys(emailAccountDtoSchema.shape).sort();

describe("email accounts API", () => {
  it("lists the accounts as DTOs without any token, and says whether Google is configured", async () => {
    const a = await connect("a@example.com");
    const b = await connect("b@example.com");
    const res = await call(accountsRoute.GET, "/api/email/accounts");
    expect(res.status).toBe(200);
    expect(res.json.googleConfigured).toBe(true);
    expect(res.json.accounts.map((x: { emailAddress: string }) => x.emailAddress)).toEqual(["a@example.com", "b@example.com"]);
    for (const account of res.json.accounts) expect(Object.keys(account).sort()).toEqual(DTO_KEYS);
    for (const id of [a.id, b.id]) {
      const { sealed, accessToken, refreshToken } = await tokensOf(id);
      for (const secret of [...sealed, accessToken, refreshToken]) expect(res.text).not.toContain(secret);
    }

    await withEnv({ GOOGLE_CLIENT_ID: undefined, GOOGLE_CLIENT_SECRET: undefined }, async () => {
      expect((await call(accountsRoute.GET, "/api/email/accounts")).json.googleConfigured).toBe(false);
    });
  });

  it("reads one account, and says not found for an unknown id", async () => {
    const account = await connect("one@example.com");
    const res = await call(accountRoute.GET, `/api/email/accounts/${account.id}`, { id: account.id });
    expect(res.status).toBe(200);
    expect(res.json.account).toEqual(account);
    expect(res.text).not.toContain((await tokensOf(account.id)).refreshToken);

    const missing = await call(accountRoute.GET, "/api/email/accounts/eml_nope", { id: "eml_nope" });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ code: "not_found", message: "No email account eml_nope" });
  });

  it("disconnects: stops push, revokes the grant at Google, deletes the tokens", async () => {
    const account = await connect("gone@example.com");
    const { refreshToken } = await tokensOf(account.id);
    await (await gmailProviderFor(account.id)).watch("projects/p/topics/gmail", ["INBOX"]);
    expect(fake.watchOf("gone@example.com")).not.toBeNull();
    expect(await refreshWorks(refreshToken!)).toBe(true);

    const res = await call(accountRoute.DELETE, `/api/email/accounts/${account.id}`, { id: account.id }, "DELETE");
    expect(res.status).toBe(200);
    expect(res.json.account).toMatchObject({ id: account.id, emailAddress: "gone@example.com", status: "disconnected", watchExpiration: null });
    expect(Object.keys(res.json.account).sort()).toEqual(DTO_KEYS);

    expect(fake.watchOf("gone@example.com")).toBeNull();
    expect(await refreshWorks(refreshToken!)).toBe(false); // revoked at the fake Google
    expect((await tokensOf(account.id)).sealed).toEqual([null, null]);

    const missing = await call(accountRoute.DELETE, "/api/email/accounts/eml_nope", { id: "eml_nope" }, "DELETE");
    expect(missing.status).toBe(404);
  });
});
