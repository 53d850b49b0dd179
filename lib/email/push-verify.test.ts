import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { configureLogging } from "@/lib/logger";
import { startFakeGoogleOidc, type FakeGoogleOidc } from "@/tests/fakes/google-oidc";
import { envForFile, withEnv } from "@/tests/setup/config-env";
import { PUSH_SERVICE_ACCOUNT, pushClaims, pushEnv } from "./push-test-kit";
import { verifyPushToken } from "./push-verify";

// The OIDC check of Gmail push requests, with the real google-auth-library verifying tokens
// signed by a fake Google whose certificates are served on 127.0.0.1.

let oidc: FakeGoogleOidc;
const logs: string[] = [];
const issuedTokens: string[] = [];

beforeAll(async () => {
  oidc = await startFakeGoogleOidc();
  configureLogging({ level: "debug", destination: { write: (line: string) => void logs.push(line) } });
});
envForFile(async () => pushEnv(oidc.certsUrl));
afterAll(async () => {
  // Whatever was refused or accepted, no token reached the log.
  expect(logs.filter((line) => line.includes("push refused")).length).toBeGreaterThan(5);
  for (const token of issuedTokens) expect(logs.join("\n")).not.toContain(token.split(".")[2]);
  configureLogging({});
  await oidc.close();
});

function token(claims = pushClaims(), options?: Parameters<FakeGoogleOidc["sign"]>[1]): string {
  const signed = oidc.sign(claims, options);
  issuedTokens.push(signed);
  return signed;
}

/** The AppError verifyPushToken throws; its message never contains the token. */
async function refusal(header: string | null): Promise<AppError> {
  const error = await verifyPushToken(header).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  if (header) expect(JSON.stringify(appError.toJSON())).not.toContain(header.replace(/^Bearer /, ""));
  return appError;
}

const now = () => Math.floor(Date.now() / 1000);

describe("verifyPushToken", () => {
  it("accepts a token Google signed for this audience and service account", async () => {
    expect(await verifyPushToken(`Bearer ${token()}`)).toEqual({ email: PUSH_SERVICE_ACCOUNT, subject: "112233445566778899000" });
    // Either of Google's issuer spellings.
    expect(await verifyPushToken(`Bearer ${token(pushClaims({ iss: "accounts.google.com" }))}`)).toMatchObject({ email: PUSH_SERVICE_ACCOUNT });
  });

  it("refuses a request without a bearer token", async () => {
    expect(await refusal(null)).toMatchObject({ code: "unauthorized", status: 401 });
    expect(await refusal("")).toMatchObject({ code: "unauthorized" });
    expect(await refusal(`Basic ${Buffer.from("user:pass").toString("base64")}`)).toMatchObject({ code: "unauthorized" });
    expect(await refusal("Bearer not-a-jwt")).toMatchObject({ code: "unauthorized" });
    expect((await refusal(`Bearer ${"a".repeat(9000)}.b.c`)).code).toBe("unauthorized");
  });

  it("refuses an unsigned token (alg none, empty signature)", async () => {
    const [header, payload] = token(pushClaims(), { header: { alg: "none" } }).split(".");
    expect(await refusal(`Bearer ${header}.${payload}.`)).toMatchObject({ code: "unauthorized" });
  });

  it("refuses a forged token: signed with a key Google did not publish, or naming an unknown key", async () => {
    const forged = token(pushClaims(), { key: oidc.unpublishedKey() });
    expect(await refusal(`Bearer ${forged}`)).toMatchObject({ code: "unauthorized", status: 401 });
    const unknownKid = token(pushClaims(), { kid: "0123456789abcdef", key: oidc.unpublishedKey() });
    expect(await refusal(`Bearer ${unknownKid}`)).toMatchObject({ code: "unauthorized" });
    // A genuine signature over different claims: the payload was swapped after signing.
    const [header, , signature] = token().split(".");
    const tampered = Buffer.from(JSON.stringify({ ...pushClaims(), email: "attacker@example.com", iss: oidc.issuer, iat: now(), exp: now() + 3600 })).toString("base64url");
    expect(await refusal(`Bearer ${header}.${tampered}.${signature}`)).toMatchObject({ code: "unauthorized" });
  });

  // The log says which check failed (the response does not, and neither quotes the token).
  it.each([
    ["another audience", pushClaims({ aud: "https://other.example.com/push" }), "wrong audience"],
    ["another issuer", pushClaims({ iss: "https://evil.example.com" }), "wrong issuer"],
    ["another service account", pushClaims({ email: "someone-else@example-project.iam.gserviceaccount.com" }), "someone-else@"],
    ["an unverified email", pushClaims({ email_verified: false }), '"emailVerified":false'],
    ["no email", pushClaims({ email: undefined, email_verified: undefined }), '"presentedEmail":null'],
    ["an expired token", pushClaims({ iat: now() - 7200, exp: now() - 3600 }), "expired"],
    ["a token issued in the future", pushClaims({ iat: now() + 3600, exp: now() + 7200 }), "issued in the future"],
    ["no expiry", pushClaims({ exp: undefined }), "missing or invalid iat/exp"],
  ])("refuses %s", async (_, claims, logged) => {
    const error = await refusal(`Bearer ${token(claims)}`);
    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    expect(error.message).toMatch(/refused.*nothing was stored/);
    expect(logs.at(-1)).toContain(logged);
  });

  it("fails closed with 503 when the audience or the service account is not configured", async () => {
    const genuine = `Bearer ${token()}`;
    for (const unset of ["GMAIL_PUSH_AUDIENCE", "GMAIL_PUSH_SERVICE_ACCOUNT"]) {
      const error = await withEnv({ [unset]: undefined }, () => refusal(genuine));
      expect(error).toMatchObject({ code: "unavailable", status: 503 });
      expect(error.message).toContain("GMAIL_PUSH_AUDIENCE");
    }
    // Even an unsigned request gets the 503: configuration is checked first.
    expect(await withEnv({ GMAIL_PUSH_AUDIENCE: undefined }, () => refusal(null))).toMatchObject({ code: "unavailable" });
  });

  it("answers 503 when Google's certificates cannot be fetched, and works again once they can", async () => {
    const genuine = `Bearer ${token()}`;
    oidc.failWith(503);
    try {
      expect(await refusal(genuine)).toMatchObject({ code: "unavailable", status: 503 });
    } finally {
      oidc.failWith(null);
    }
    expect(await verifyPushToken(genuine)).toMatchObject({ email: PUSH_SERVICE_ACCOUNT });

    const down = await startFakeGoogleOidc();
    await down.close();
    const started = Date.now();
    expect(await withEnv({ GOOGLE_OIDC_CERTS_URL: down.certsUrl }, () => refusal(genuine))).toMatchObject({ code: "unavailable" });
    expect(Date.now() - started).toBeLessThan(5_000); // one quick retry, not a long back-off
  });

  it("keeps Google's certificates for as long as their cache-control allows", async () => {
    const cached = await startFakeGoogleOidc({ cacheSeconds: 3600 });
    try {
      await withEnv({ GOOGLE_OIDC_CERTS_URL: cached.certsUrl }, async () => {
        for (let i = 0; i < 3; i++) {
          expect(await verifyPushToken(`Bearer ${cached.sign(pushClaims())}`)).toMatchObject({ email: PUSH_SERVICE_ACCOUNT });
        }
      });
      expect(cached.certRequests()).toBe(1);
    } finally {
      await cached.close();
    }
    // The file's fake says max-age=0: every verification fetched again.
    const before = oidc.certRequests();
    await verifyPushToken(`Bearer ${token()}`);
    expect(oidc.certRequests()).toBe(before + 1);
  });
});
