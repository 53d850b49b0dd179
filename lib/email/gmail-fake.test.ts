import { OAuth2Client } from "google-auth-library";
import { google } from "googleapis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGmail, type FakeGmail } from "@/tests/fakes/gmail-server";

// The fake Gmail server's own behaviour, through the raw googleapis client: the parts the provider
// does not use yet (metadata/full formats, search terms, revoke) but later stages will rely on.

let fake: FakeGmail;

beforeAll(async () => {
  fake = await startFakeGmail();
});
afterAll(() => fake.close());

function client(accessToken?: string) {
  const auth = new OAuth2Client({ clientId: fake.clientId, clientSecret: fake.clientSecret, endpoints: { oauth2TokenUrl: fake.tokenUrl, oauth2RevokeUrl: fake.revokeUrl } });
  const tokens = fake.issueTokens();
  auth.setCredentials({ access_token: accessToken ?? tokens.accessToken, refresh_token: tokens.refreshToken, expiry_date: tokens.expiresAt.getTime() });
  return { gmail: google.gmail({ version: "v1", auth, rootUrl: fake.url, retry: false }), auth, tokens };
}

const MULTIPART = [
  "From: Shop <news@shop.example>",
  "To: me@example.com",
  "Subject: =?utf-8?q?Sale?=",
  "List-Unsubscribe: <mailto:unsubscribe@shop.example>",
  'Content-Type: multipart/alternative; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Everything   must go.",
  "--b1",
  "Content-Type: text/html; charset=utf-8",
  "Content-Transfer-Encoding: base64",
  "",
  Buffer.from("<p>Everything must go.</p>").toString("base64"),
  "--b1--",
  "",
].join("\r\n");

describe("fake Gmail server", () => {
  it("answers format=metadata and format=full like Gmail", async () => {
    const { gmail } = client();
    const message = fake.addMessage(MULTIPART);
    const metadata = await gmail.users.messages.get({ userId: "me", id: message.id, format: "metadata", metadataHeaders: ["From", "List-Unsubscribe"] });
    expect(metadata.data.payload?.headers).toEqual([
      { name: "From", value: "Shop <news@shop.example>" },
      { name: "List-Unsubscribe", value: "<mailto:unsubscribe@shop.example>" },
    ]);
    expect(metadata.data.snippet).toBe("Everything must go.");

    const full = await gmail.users.messages.get({ userId: "me", id: message.id, format: "full" });
    const parts = full.data.payload?.parts ?? [];
    expect(full.data.payload?.mimeType).toBe("multipart/alternative");
    expect(parts.map((p) => p.mimeType)).toEqual(["text/plain", "text/html"]);
    expect(Buffer.from(parts[1]!.body!.data!, "base64url").toString()).toBe("<p>Everything must go.</p>");
  });

  it("filters listings by newer_than:, labels and leaves spam out", async () => {
    const { gmail } = client();
    const old = fake.addMessage("Subject: old\r\n\r\nx", ["INBOX"], { internalDate: Date.now() - 3 * 86_400_000 });
    const fresh = fake.addMessage("Subject: fresh\r\n\r\nx", ["INBOX", "STARRED"]);
    const spam = fake.addMessage("Subject: spam\r\n\r\nx", ["SPAM"]);
    const ids = async (params: { q?: string; labelIds?: string[]; includeSpamTrash?: boolean }) =>
      ((await gmail.users.messages.list({ userId: "me", ...params })).data.messages ?? []).map((m) => m.id);
    expect(await ids({ q: "newer_than:2d" })).toContain(fresh.id);
    expect(await ids({ q: "newer_than:2d" })).not.toContain(old.id);
    expect(await ids({ labelIds: ["STARRED"] })).toEqual([fresh.id]);
    expect(await ids({})).not.toContain(spam.id);
    expect(await ids({ includeSpamTrash: true })).toContain(spam.id);
    await expect(ids({ q: "from:someone" })).rejects.toThrow(/does not understand/);
  });

  it("refuses calls without a live bearer token and revokes refresh tokens", async () => {
    const { gmail: anonymous } = client("not-a-token");
    const unauthorized = await anonymous.users.getProfile({ userId: "me" }).catch((e: { status?: number }) => e);
    expect((unauthorized as { status?: number }).status).toBe(401);

    const { auth, tokens } = client();
    await auth.revokeToken(tokens.refreshToken);
    const refresh = await fetch(fake.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refreshToken, client_id: fake.clientId, client_secret: fake.clientSecret }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("loads SpamAssassin corpus messages in bulk", async () => {
    const { gmail } = client();
    const loaded = await fake.loadCorpus(50, { folders: ["hard-ham-1"] });
    expect(loaded).toHaveLength(50);
    const got = await gmail.users.messages.get({ userId: "me", id: loaded[0]!.id, format: "raw" });
    expect(Buffer.from(got.data.raw!, "base64url").equals(loaded[0]!.raw)).toBe(true);
    expect(loaded[0]!.raw.subarray(0, 5).toString()).not.toBe("From ");
  });
});
