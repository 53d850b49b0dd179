import { AppError, type ErrorCode } from "@/lib/errors";

// Turns what googleapis / google-auth-library throw (GaxiosError and friends) into AppErrors a user
// can act on. The original error is never attached as `cause`: its `config` carries the request
// headers, i.e. the bearer token, and a logger serialising the cause chain would print it.

type GoogleErrorShape = {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown };
};

export type GoogleErrorDescription = { code: ErrorCode; message: string; status: number | null; reason: string | null };

// Access tokens start `ya29.`, refresh tokens `1//`; anything bearer-like is cut out of messages too.
const TOKEN_PATTERNS = [/ya29\.[\w.-]+/g, /1\/\/[\w.-]+/g, /Bearer\s+[\w.~+/-]+=*/gi];

export function redactTokens(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, "[redacted]");
  return out;
}

function readData(data: unknown): { oauthError: string | null; reason: string | null; message: string | null } {
  if (!data || typeof data !== "object") return { oauthError: null, reason: null, message: null };
  const error = (data as { error?: unknown }).error;
  // The token endpoint answers `{ error: "invalid_grant", error_description }`.
  if (typeof error === "string") return { oauthError: error, reason: null, message: (data as { error_description?: string }).error_description ?? null };
  // The Gmail API answers `{ error: { code, message, errors: [{ reason }] } }`.
  if (error && typeof error === "object") {
    const e = error as { message?: string; errors?: { reason?: string }[] };
    return { oauthError: null, reason: e.errors?.[0]?.reason ?? null, message: e.message ?? null };
  }
  return { oauthError: null, reason: null, message: null };
}

export function describeGoogleError(error: unknown, doing: string, secrets: readonly (string | null | undefined)[] = []): GoogleErrorDescription {
  const e = (error ?? {}) as GoogleErrorShape;
  const status = e.response?.status ?? (typeof e.status === "number" ? e.status : null);
  const { oauthError, reason, message } = readData(e.response?.data);
  const detail = message ? `: ${redactTokens(message, secrets)}` : "";
  const out = (code: ErrorCode, text: string): GoogleErrorDescription => ({ code, message: text, status, reason: oauthError ?? reason });

  if (oauthError === "invalid_grant") return out("unauthorized", `Google refused the stored Gmail authorization while ${doing} (expired or revoked); connect the account again.`);
  if (oauthError === "invalid_client" || oauthError === "unauthorized_client") return out("unauthorized", `Google rejected this app's OAuth client id or secret while ${doing}; check the Google client settings.`);
  if (oauthError) return out("bad_gateway", `Google's token endpoint refused the request while ${doing} (${oauthError}).`);
  if (status === null) {
    if (error instanceof Error && /refresh token/i.test(error.message)) return out("unauthorized", `No Gmail authorization is stored for ${doing}; connect the account again.`);
    const network = typeof e.code === "string" ? ` (${e.code})` : "";
    return out("bad_gateway", `Gmail could not be reached while ${doing}${network}.`);
  }
  if (status === 401) return out("unauthorized", `Gmail did not accept the account's authorization while ${doing}; connect the account again.`);
  if (status === 429 || (status === 403 && /rateLimit|quota/i.test(reason ?? ""))) return out("rate_limited", `Gmail is rate-limiting this account while ${doing}; try again shortly.`);
  if (status === 403) return out("forbidden", `Gmail refused ${doing}${detail}. The account may not have granted the gmail.modify scope.`);
  if (status === 404) return out("not_found", `Gmail found nothing while ${doing}.`);
  if (status === 408 || status === 504) return out("timeout", `Gmail timed out while ${doing}.`);
  if (status >= 500) return out("bad_gateway", `Gmail failed while ${doing} (HTTP ${status}).`);
  return out("bad_gateway", `Gmail rejected the request while ${doing} (HTTP ${status})${detail}.`);
}

export function toGmailAppError(error: unknown, doing: string, secrets: readonly (string | null | undefined)[] = []): AppError {
  if (error instanceof AppError) return error;
  const { code, message, status, reason } = describeGoogleError(error, doing, secrets);
  return new AppError(code, message, { provider: "gmail", status, reason });
}
