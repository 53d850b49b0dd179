import { createHash, createPublicKey, generateKeyPairSync, sign as signWithKey, type KeyObject } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A fake of Google's OIDC signer on 127.0.0.1: it signs RS256 ID tokens like the ones Pub/Sub push
// subscriptions send, and publishes its public key where google-auth-library's OAuth2Client fetches
// certificates, so the real verifyIdToken code path runs in tests.
//
//   GET /oauth2/v1/certs   { "<kid>": "<PEM>" }, the format of Google's oauth2FederatedSignonPemCertsUrl
//   GET /oauth2/v3/certs   { keys: [JWK] }, the format of oauth2FederatedSignonJwkCertsUrl
//
// Google's PEM endpoint serves X.509 certificates; this one serves the SubjectPublicKeyInfo PEM of
// the key. google-auth-library verifies with node:crypto's createVerify, which takes either, and
// node:crypto cannot issue a certificate without a signing tool. Tokens signed with any other key
// (a forgery) or naming an unpublished kid fail verification exactly as they would against Google.

export const GOOGLE_ISSUER = "https://accounts.google.com";

export type IdTokenClaims = {
  iss?: string;
  aud?: string | string[];
  sub?: string;
  email?: string;
  email_verified?: boolean;
  azp?: string;
  /** Seconds since the epoch; defaults to now. */
  iat?: number;
  /** Seconds since the epoch; defaults to an hour after `iat`. */
  exp?: number;
  [claim: string]: unknown;
};

export type SignOptions = {
  /** The header's key id; defaults to the published key's. */
  kid?: string;
  /** Sign with this private key instead of the published one (a forgery when it is not published). */
  key?: KeyObject;
  /** Header fields to add or override (e.g. `{ alg: "none" }`). */
  header?: Record<string, unknown>;
};

export type FakeGoogleOidc = {
  /** For GOOGLE_OIDC_CERTS_URL (the PEM endpoint). */
  certsUrl: string;
  /** The JWK endpoint, for clients that use oauth2FederatedSignonJwkCertsUrl. */
  jwksUrl: string;
  issuer: string;
  /** The key id of the published key. */
  kid: string;
  /** A signed RS256 JWT; `iss`, `iat` and `exp` are filled in unless given (set one to undefined to leave it out). */
  sign(claims: IdTokenClaims, options?: SignOptions): string;
  /** A fresh RSA private key the certs endpoints do not publish, for forged tokens. */
  unpublishedKey(): KeyObject;
  /** While set, every certs request answers this status (e.g. 503), as when Google is unreachable. */
  failWith(status: number | null): void;
  /** How many certs requests were served (cache checks). */
  certRequests(): number;
  close(): Promise<void>;
};

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function rsaKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers }).end(JSON.stringify(body));
}

export async function startFakeGoogleOidc(
  options: {
    /** Sent as `cache-control: max-age` like Google's endpoint (which says hours); 0 = clients refetch every time. */
    cacheSeconds?: number;
  } = {},
): Promise<FakeGoogleOidc> {
  const privateKey = rsaKey();
  const publicKey = createPublicKey(privateKey);
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  // Google's kids are hex digests of the key; any stable string works for lookup.
  const kid = createHash("sha1").update(pem).digest("hex");
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const cacheControl = `public, max-age=${Math.max(0, Math.floor(options.cacheSeconds ?? 0))}, must-revalidate, no-transform`;
  let failure: number | null = null;
  let served = 0;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (req.method !== "GET" || (path !== "/oauth2/v1/certs" && path !== "/oauth2/v3/certs")) {
      sendJson(res, 404, { error: { code: 404, message: `No route ${req.method} ${path}` } });
      return;
    }
    served++;
    if (failure !== null) {
      sendJson(res, failure, { error: { code: failure, message: "Scripted failure of the certs endpoint" } });
      return;
    }
    sendJson(res, 200, path === "/oauth2/v1/certs" ? { [kid]: pem } : { keys: [jwk] }, { "cache-control": cacheControl });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    certsUrl: `${root}/oauth2/v1/certs`,
    jwksUrl: `${root}/oauth2/v3/certs`,
    issuer: GOOGLE_ISSUER,
    kid,
    sign(claims, signOptions = {}) {
      const iat = "iat" in claims ? claims.iat : Math.floor(Date.now() / 1000);
      const payload: IdTokenClaims = { iss: GOOGLE_ISSUER, exp: iat === undefined ? undefined : iat + 3600, ...claims, iat };
      const header = { alg: "RS256", typ: "JWT", kid: signOptions.kid ?? kid, ...signOptions.header };
      const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
      const signature = signWithKey("RSA-SHA256", Buffer.from(signingInput), signOptions.key ?? privateKey);
      return `${signingInput}.${base64url(signature)}`;
    },
    unpublishedKey: rsaKey,
    failWith(status) {
      failure = status;
    },
    certRequests: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
