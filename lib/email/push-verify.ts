import { OAuth2Client, type LoginTicket } from "google-auth-library";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";

// Verifies the OIDC token a Pub/Sub push subscription puts in `Authorization: Bearer …`: signed by
// Google (the certificates at GOOGLE_OIDC_CERTS_URL, Google's by default), issued by
// accounts.google.com, for GMAIL_PUSH_AUDIENCE, to the verified service account
// GMAIL_PUSH_SERVICE_ACCOUNT. Fails closed: without both settings nothing is accepted (503).
//
// google-auth-library's error messages quote the whole token, so they are never shown or logged;
// only a short reason (e.g. "expired") goes to the log.

export const GOOGLE_ISSUERS = ["accounts.google.com", "https://accounts.google.com"];

export type PushIdentity = { email: string; subject: string };

/** Google ID tokens are about 1 KB; anything far larger is not one. */
const MAX_TOKEN_LENGTH = 8192;
const BEARER = /^Bearer[ ]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)[ ]*$/i;
const CERTS_TIMEOUT_MS = 5_000;

// One client per certificates URL: it caches Google's certificates for as long as their
// cache-control allows, so most pushes are verified without a request.
let verifier: { certsUrl: string | undefined; client: OAuth2Client } | null = null;

function clientFor(certsUrl: string | undefined): OAuth2Client {
  if (verifier && verifier.certsUrl === certsUrl) return verifier.client;
  const client = new OAuth2Client({
    ...(certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl } } : {}),
    issuers: GOOGLE_ISSUERS,
    // One quick retry: Pub/Sub redelivers a refused push on its own schedule.
    transporterOptions: { timeout: CERTS_TIMEOUT_MS, retryConfig: { retry: 1, noResponseRetries: 1, retryDelay: 200 } },
  });
  verifier = { certsUrl, client };
  return client;
}

const refused = () =>
  new AppError("unauthorized", "The push request's Google-signed token was refused (bad signature, expired, or not issued for this endpoint); nothing was stored");

/** A short, token-free reason for the log, read from google-auth-library's error text. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : "";
  const reasons: [RegExp, string][] = [
    [/^Wrong number of segments|^Can't parse/, "malformed token"],
    [/^No pem found/, "unknown signing key (kid)"],
    [/^Invalid token signature/, "bad signature"],
    [/^No issue time|^No expiration time|field using invalid format/, "missing or invalid iat/exp"],
    [/^Expiration time too far/, "expiry too far in the future"],
    [/^Token used too early/, "issued in the future"],
    [/^Token used too late/, "expired"],
    [/^Invalid issuer/, "wrong issuer"],
    [/^Wrong recipient/, "wrong audience"],
  ];
  return reasons.find(([pattern]) => pattern.test(text))?.[1] ?? "unverifiable token";
}

function bearerToken(header: string | null): string {
  const match = header && header.length <= MAX_TOKEN_LENGTH + 20 ? BEARER.exec(header) : null;
  if (!match) {
    throw new AppError(
      "unauthorized",
      header ? "The Authorization header must be `Bearer <Google-signed JWT>`; nothing was stored" : "A push request needs a Google-signed OIDC token (Authorization: Bearer …); nothing was stored",
    );
  }
  return match[1]!;
}

async function signingCertificates(client: OAuth2Client): Promise<Record<string, string>> {
  try {
    const { certs } = await client.getFederatedSignonCertsAsync();
    if (!certs || typeof certs !== "object" || Object.keys(certs).length === 0) throw new Error("the certificates response holds no keys");
    return certs as Record<string, string>;
  } catch (error) {
    getLogger({ component: "gmail-push" }).error({ reason: error instanceof Error ? error.message : String(error) }, "could not fetch Google's OIDC certificates");
    throw new AppError("unavailable", "Google's signing certificates could not be fetched to verify the push request; nothing was stored");
  }
}

/**
 * Checks the push request's Authorization header and returns who signed it. Throws AppError
 * "unavailable" (503) when push is not configured or the certificates cannot be fetched, and
 * "unauthorized" (401) for a missing, malformed, forged, expired or foreign token.
 */
export async function verifyPushToken(authorizationHeader: string | null): Promise<PushIdentity> {
  const config = getConfig();
  const log = getLogger({ component: "gmail-push" });
  const audience = config.GMAIL_PUSH_AUDIENCE;
  const serviceAccount = config.GMAIL_PUSH_SERVICE_ACCOUNT;
  if (!audience || !serviceAccount) {
    log.error("push refused: GMAIL_PUSH_AUDIENCE and GMAIL_PUSH_SERVICE_ACCOUNT must both be set");
    throw new AppError("unavailable", "Gmail push is not configured on this server (GMAIL_PUSH_AUDIENCE and GMAIL_PUSH_SERVICE_ACCOUNT); nothing was stored");
  }
  const idToken = bearerToken(authorizationHeader);
  const client = clientFor(config.GOOGLE_OIDC_CERTS_URL);
  const certs = await signingCertificates(client);

  let ticket: LoginTicket;
  try {
    ticket = await client.verifySignedJwtWithCertsAsync(idToken, certs, audience, GOOGLE_ISSUERS);
  } catch (error) {
    log.warn({ reason: reasonOf(error) }, "push refused: the OIDC token did not verify");
    throw refused();
  }
  const payload = ticket.getPayload();
  // Checked again here so that no library default (issuers, audience) can widen what is accepted.
  if (!payload || !GOOGLE_ISSUERS.includes(payload.iss) || payload.aud !== audience) {
    log.warn({ reason: "wrong issuer or audience" }, "push refused: the OIDC token did not verify");
    throw refused();
  }
  if (payload.email?.toLowerCase() !== serviceAccount.toLowerCase() || payload.email_verified !== true) {
    log.warn({ presentedEmail: payload.email ?? null, emailVerified: payload.email_verified ?? null }, "push refused: the token was not issued to GMAIL_PUSH_SERVICE_ACCOUNT");
    throw refused();
  }
  return { email: payload.email, subject: payload.sub };
}
