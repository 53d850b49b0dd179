import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getConfig, requireAuthSecret } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { isSafeLocalPath } from "@/lib/http/safe-redirect";

// The OAuth `state` of a Gmail connection, against CSRF and mix-ups. The connect route puts a random
// `state` in the consent URL and the same value, with the user and where to return, in a signed
// httpOnly cookie; the callback accepts Google's redirect only when the `state` it carries matches
// a cookie this server signed, for the signed-in user, within ten minutes. A callback URL forged by
// someone else has no matching cookie in the victim's browser, so no account gets attached.

export const OAUTH_STATE_COOKIE = "pa_gmail_oauth";
/** Sent only to the callback. */
export const OAUTH_STATE_COOKIE_PATH = "/api/email/oauth";
export const OAUTH_STATE_TTL_SECONDS = 600;
export const DEFAULT_RETURN_TO = "/triage";

const KEY_PURPOSE = "personal-automations/gmail-oauth-state/v1";
const STALE_MESSAGE = "The Gmail connection request expired or was started in another browser; connect again.";

/** A path on this site: starts with one "/" (not "//" or "/\", which browsers read as another host). */
export const returnToSchema = z
  .string()
  .max(512)
  .refine(isSafeLocalPath, "must be a path on this site, starting with a single /")
  .describe("Where to send the browser afterwards: a path on this site, e.g. /triage");

const payloadSchema = z.strictObject({
  state: z.string().min(16),
  userId: z.string().min(1),
  returnTo: returnToSchema,
  expiresAt: z.number().int(),
});

type StatePayload = z.infer<typeof payloadSchema>;

// A key of its own, derived from AUTH_SECRET, so a value signed here means nothing elsewhere.
function signingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", requireAuthSecret(), "", KEY_PURPOSE, 32));
}

const sign = (data: string) => createHmac("sha256", signingKey()).update(data, "utf8").digest();

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh state for the consent URL and the cookie value that vouches for it. */
export function createOAuthState(input: { userId: string; returnTo?: string; now?: Date }): { state: string; cookie: string; expiresAt: Date } {
  const returnTo = input.returnTo ?? DEFAULT_RETURN_TO;
  if (!returnToSchema.safeParse(returnTo).success) {
    throw new AppError("bad_request", "returnTo must be a path on this site, starting with a single /.");
  }
  const state = randomBytes(32).toString("base64url");
  const expiresAt = (input.now ?? new Date()).getTime() + OAUTH_STATE_TTL_SECONDS * 1000;
  const payload: StatePayload = { state, userId: input.userId, returnTo, expiresAt };
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return { state, cookie: `${body}.${sign(body).toString("base64url")}`, expiresAt: new Date(expiresAt) };
}

/** The payload of a cookie this server signed (expired or not); null for anything else. */
function openCookie(cookieValue: string | null | undefined): StatePayload | null {
  if (!cookieValue || cookieValue.length > 2048) return null;
  const [body, signature, extra] = cookieValue.split(".");
  if (!body || !signature || extra !== undefined) return null;
  if (!sameBytes(Buffer.from(signature, "base64url"), sign(body))) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Checks Google's `state` against the signed cookie and the signed-in user; returns where to send
 * the browser. Every failure is a bad_request saying what to do.
 */
export function verifyOAuthState(input: {
  stateParam: string | null | undefined;
  cookieValue: string | null | undefined;
  userId: string;
  now?: Date;
}): { returnTo: string } {
  const payload = openCookie(input.cookieValue);
  if (!payload || !input.stateParam) throw new AppError("bad_request", STALE_MESSAGE);
  if ((input.now ?? new Date()).getTime() >= payload.expiresAt) throw new AppError("bad_request", STALE_MESSAGE);
  if (!sameBytes(Buffer.from(input.stateParam, "utf8"), Buffer.from(payload.state, "utf8"))) throw new AppError("bad_request", STALE_MESSAGE);
  if (payload.userId !== input.userId) {
    throw new AppError("bad_request", "This Gmail connection was started while signed in as someone else; connect again.");
  }
  return { returnTo: payload.returnTo };
}

/** Where a failed callback sends the browser: the signed cookie's returnTo when it has one. */
export function returnToFromCookie(cookieValue: string | null | undefined): string {
  return openCookie(cookieValue)?.returnTo ?? DEFAULT_RETURN_TO;
}

/** httpOnly, SameSite=Lax (Google's redirect back is a top-level GET), Secure when the app is served over https. */
export function oauthStateCookieOptions(maxAge = OAUTH_STATE_TTL_SECONDS) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: getConfig().APP_URL.startsWith("https:"),
    path: OAUTH_STATE_COOKIE_PATH,
    maxAge,
  };
}
