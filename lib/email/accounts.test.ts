import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { configureLogging } from "@/lib/logger";
import { startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";
import { connectGmailAccount, disconnectAccount, emailAccountDtoSchema, gmailProviderFor, listAccounts, tokenContexts, type EmailAccountDto, type GoogleOptions } from "./accounts";

// Connected Gmail accounts against this file's database and the fake Gmail API + token endpoint.

let fake: FakeGmail;
const redirectUri = "http://localhost:3000/api/email/google/callback";

beforeAll(async () => {
  fake = await startFakeGmail();
});
afterAll(() => fake.close());
afterEach(() => configureLogging({}));

const google = (overrides: Partial<NonNullable<GoogleOptions["endpoints"]>> = {}): GoogleOptions => ({
  clientId: fake.clientId,
  clientSecret: fake.clientSecret,
  endpoints: { gmailRootUrl: fake.url, tokenUrl: fake.tokenUrl, revokeUrl: fake.revokeUrl, ...overrides },
});

type RawRow = { id: string; access_token_encrypted: string | null; refresh_token_encrypted: string | null };

async function rawRow(id: string): Promise<RawRow & Record<string, unknown>> {
  const rows = await autocommit().$queryRaw<(RawRow & Record<string, unknown>)[]>`SELECT * FROM email_accounts WHERE id = ${id}`;
  return rows[0]!;
}

async function storedTokens(id: string) {
  const row = await rawRow(id);
  return {
    row,
    accessToken: decryptSecret(row.access_token_encrypted!, tokenContexts.accessToken(id)),
    refreshToken: decryptSecret(row.refresh_token_encrypted!, tokenContexts.refreshToken(id)),
  };
}

/** The bearer token of the last Gmail API call the fake saw. */
const lastBearer = () => fake.requests.at(-1)!.authorization!.replace(/^Bearer /, "");

async function refreshGrant(refreshToken: string): Promise<number> {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: fake.clientId, client_secret: fake.clientSecret });
  return (await fetch(fake.tokenUrl, { method: "POST", body })).status;
}

function captureLogs(): string[] {
  const lines: string[] = [];
  configureLogging({ level: "debug", destination: new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }) });
  return lines;
}

async function connectNew(email: string): Promise<EmailAccountDto> {
  return connectGmailAccount({ code: fake.issueCode(email), redirectUri, createdBy: "usr_test", google: google() });
}

describe("email accounts", () => {
  it("connects an account from the consent code and stores its tokens only encrypted", async () => {
    const logs = captureLogs();
    const account = await connectGmailAccount({ code: fake.issueCode(), redirectUri, createdBy: "usr_test", google: google() });
    expect(account).toMatchObject({ emailAddress: fake.email, provider: "gmail", status: "connected", lastError: null, createdBy: "usr_test" });
    expect(account.id).toMatch(/^eml_[0-9a-z]{26}$/);
    expect(account.scopes).toEqual(["https://www.googleapis.com/auth/gmail.modify"]);
    expect(account.historyId).toBe(String(fake.historyId()));

    // The access token the fake issued is the one the profile call used; the stored values open to exactly these.
    const issuedAccess = lastBearer();
    const { row, accessToken, refreshToken } = await storedTokens(account.id);
    expect(accessToken).toBe(issuedAccess);
    expect(refreshToken).toMatch(/^1\/\/fake-/);
    expect(await refreshGrant(refreshToken)).toBe(200); // a live token the fake issued

    const everything = JSON.stringify(await autocommit().$queryRaw`SELECT * FROM email_accounts`);
    for (const token of [accessToken, refreshToken]) {
      expect(everything).not.toContain(token);
      expect(logs.join("")).not.toContain(token);
      expect(JSON.stringify(account)).not.toContain(token);
    }
    expect(row.access_token_encrypted).toMatch(/^v1\.test\./);
    // Sealed values are bound to their account and field: the access token cannot be opened as the refresh token.
    expect(() => decryptSecret(row.access_token_encrypted!, tokenContexts.refreshToken(account.id))).toThrow(/integrity/);
  });

  it("reconnecting the same address keeps the account and replaces its tokens", async () => {
    const first = await connectNew("again@example.com");
    const before = await storedTokens(first.id);
    const second = await connectGmailAccount({ code: fake.issueCode("Again@Example.com"), redirectUri, google: google() });
    expect(second.id).toBe(first.id);
    const after = await storedTokens(first.id);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
  });

  it("refuses a used code without storing anything", async () => {
    const code = fake.issueCode("once@example.com");
    await connectGmailAccount({ code, redirectUri, google: google() });
    const count = (await listAccounts("operator")).length;
    await expect(connectGmailAccount({ code, redirectUri, google: google() })).rejects.toMatchObject({ code: "bad_request" });
    expect((await listAccounts("operator")).length).toBe(count);
  });

  it("builds a working provider and stores a refreshed access token, encrypted", async () => {
    const account = await connectNew("refresh@example.com");
    const before = await storedTokens(account.id);
    const provider = await gmailProviderFor(account.id, { google: google(), retries: 0 });
    expect((await provider.getProfile()).emailAddress).toBe("refresh@example.com");
    expect(lastBearer()).toBe(before.accessToken);

    fake.expireAccessTokens();
    expect((await provider.getProfile()).emailAddress).toBe("refresh@example.com");
    const refreshedAccess = lastBearer();
    expect(refreshedAccess).not.toBe(before.accessToken);

    const after = await storedTokens(account.id);
    expect(after.accessToken).toBe(refreshedAccess);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.row.access_token_encrypted).not.toBe(before.row.access_token_encrypted);
    expect(JSON.stringify(after.row)).not.toContain(refreshedAccess);
    expect((after.row.access_token_expires_at as Date).getTime()).toBeGreaterThan(Date.now());

    // A provider built later starts from the stored (refreshed) token: no new refresh needed.
    const grants = fake.tokenRequests.length;
    await (await gmailProviderFor(account.id, { google: google(), retries: 0 })).getLabels();
    expect(fake.tokenRequests.length).toBe(grants);
    expect(lastBearer()).toBe(refreshedAccess);
  });

  it("disconnect revokes the grant at Google and deletes the tokens", async () => {
    const account = await connectNew("bye@example.com");
    const { refreshToken } = await storedTokens(account.id);
    const logs = captureLogs();

    const disconnected = await disconnectAccount(account.id, { google: google() });
    expect(disconnected).toMatchObject({ id: account.id, status: "disconnected" });
    expect(await refreshGrant(refreshToken)).toBe(400); // revoked at the token endpoint
    const row = await rawRow(account.id);
    expect(row).toMatchObject({ access_token_encrypted: null, refresh_token_encrypted: null, access_token_expires_at: null, status: "disconnected" });
    expect(logs.join("")).not.toContain(refreshToken);

    const error = await gmailProviderFor(account.id, { google: google() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict" });
    // Connecting again brings it back under the same id.
    expect((await connectNew("bye@example.com")).status).toBe("connected");
  });

  it("deletes the tokens even when Google refuses the revocation, logging it without the token", async () => {
    const account = await connectNew("stubborn@example.com");
    const { accessToken, refreshToken } = await storedTokens(account.id);
    const logs = captureLogs();

    const disconnected = await disconnectAccount(account.id, { google: google({ revokeUrl: `${fake.url}no-such-revoke` }) });
    expect(disconnected.status).toBe("disconnected");
    expect(await rawRow(account.id)).toMatchObject({ access_token_encrypted: null, refresh_token_encrypted: null });
    expect(await refreshGrant(refreshToken)).toBe(200); // Google was not told, as simulated
    const text = logs.join("");
    expect(text).toContain("Google did not confirm the revocation");
    expect(text).not.toContain(refreshToken);
    expect(text).not.toContain(accessToken);
  });

  it("lists accounts as DTOs that have no token fields at all", async () => {
    await connectNew("list@example.com");
    const all = await listAccounts("operator");
    expect(all.length).toBeGreaterThan(0);
    for (const dto of all) {
      expect(Object.keys(dto).sort()).toEqual(["createdAt", "createdBy", "emailAddress", "historyId", "id", "lastError", "lastSyncAt", "provider", "scopes", "status", "updatedAt", "watchError", "watchExpiration", "watchRenewedAt"]);
      expect(JSON.stringify(dto)).not.toMatch(/v1\.test\.|ya29\.|1\/\//);
    }
    // The schema cannot carry a token through: an extra key fails instead of passing along.
    expect(() => emailAccountDtoSchema.parse({ ...all[0], accessToken: "ya29.x" })).toThrow();
    expectTypeOf<EmailAccountDto>().not.toHaveProperty("accessTokenEncrypted");
    expectTypeOf<EmailAccountDto>().not.toHaveProperty("refreshTokenEncrypted");
  });

  it("says not found for an unknown account", async () => {
    await expect(gmailProviderFor("eml_missing", { google: google() })).rejects.toMatchObject({ code: "not_found" });
    await expect(disconnectAccount("eml_missing", { google: google() })).rejects.toMatchObject({ code: "not_found" });
  });
});
