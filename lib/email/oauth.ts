import { OAuth2Client } from "google-auth-library";
import { AppError } from "@/lib/errors";
import { describeGoogleError } from "./gmail-errors";

// Google OAuth for Gmail: the consent URL and the code exchange. Endpoints are parameters so tests
// point them at the fake server (tests/fakes/gmail-server.ts); the defaults are Google's.
//
// Scope: `gmail.modify` alone. Triage reads messages and adds/removes labels on them. `gmail.readonly`
// reads but cannot change a message's labels, and `gmail.labels` only manages the label list
// (create/rename/delete labels) — it cannot apply a label to a message either — so
// `readonly + labels` could create "Triage/Newsletters" but never put a message in it. `gmail.modify`
// is the narrowest scope that allows users.messages.modify/batchModify; it cannot delete
// messages permanently or change settings, and covers history, labels and watch as well.

export const GMAIL_SCOPES = ["https://www.googleapis.com/auth/gmail.modify"] as const;

export type GoogleEndpoints = {
  /** Consent screen. */
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** Root of the Gmail REST API, ending in `/`. */
  gmailRootUrl: string;
};

export const GOOGLE_ENDPOINTS: GoogleEndpoints = {
  authUrl: "https://accounts.google.com/o/oauth2/v2/auth",
  tokenUrl: "https://oauth2.googleapis.com/token",
  revokeUrl: "https://oauth2.googleapis.com/revoke",
  gmailRootUrl: "https://gmail.googleapis.com/",
};

export type GoogleClientSettings = {
  clientId: string;
  clientSecret: string;
  /** Where Google sends the user back with `?code=…&state=…`. */
  redirectUri?: string;
  endpoints?: Partial<GoogleEndpoints>;
};

/** What the app stores (encrypted) for a connected account. */
export type OAuthTokens = {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working; null when Google did not say. */
  expiresAt: Date | null;
  /** The scopes actually granted (the user may untick some on the consent screen). */
  scopes: string[];
};

export function resolveEndpoints(endpoints?: Partial<GoogleEndpoints>): GoogleEndpoints {
  return { ...GOOGLE_ENDPOINTS, ...endpoints };
}

export function createOAuthClient(settings: GoogleClientSettings): OAuth2Client {
  const endpoints = resolveEndpoints(settings.endpoints);
  return new OAuth2Client({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    redirectUri: settings.redirectUri,
    endpoints: { oauth2AuthBaseUrl: endpoints.authUrl, oauth2TokenUrl: endpoints.tokenUrl, oauth2RevokeUrl: endpoints.revokeUrl },
    // Refresh on a 401 even while the stored expiry says the token is still good (revoked early,
    // clock skew); the library retries the call once with the new token.
    forceRefreshOnFailure: true,
  });
}

/**
 * The Google consent URL. `access_type=offline` + `prompt=consent` make Google return a refresh
 * token every time (without `prompt=consent` it only does on the very first consent). `state`
 * must be an unguessable value the callback checks, against CSRF.
 */
export function buildConsentUrl(settings: GoogleClientSettings & { state: string; loginHint?: string }): string {
  if (!settings.redirectUri) throw new AppError("internal", "A redirect URI is needed to build the Google consent URL.");
  if (settings.state.length < 16) throw new AppError("internal", "The OAuth state must be an unguessable value of at least 16 characters.");
  return createOAuthClient(settings).generateAuthUrl({
    access_type: "offline",
    prompt: "consent",
    scope: [...GMAIL_SCOPES],
    include_granted_scopes: false,
    state: settings.state,
    ...(settings.loginHint ? { login_hint: settings.loginHint } : {}),
  });
}

/** Exchanges the code from the consent redirect for tokens; refuses a grant without gmail.modify or a refresh token. */
export async function exchangeCode(settings: GoogleClientSettings, code: string): Promise<OAuthTokens> {
  const client = createOAuthClient(settings);
  let tokens;
  try {
    ({ tokens } = await client.getToken(code));
  } catch (error) {
    const described = describeGoogleError(error, "exchanging the authorization code");
    // A bad code is the user's to retry; a rejected client id/secret is this server's configuration.
    if (described.reason === "invalid_grant") throw new AppError("bad_request", "The Google sign-in code is invalid, expired or already used; connect the account again.");
    throw new AppError(described.code === "unauthorized" ? "internal" : described.code, described.message);
  }
  const scopes = (tokens.scope ?? "").split(/\s+/).filter(Boolean);
  if (!tokens.access_token || !tokens.refresh_token) {
    throw new AppError("bad_gateway", "Google did not return a refresh token; remove the app's access in your Google account and connect again.");
  }
  if (scopes.length && !GMAIL_SCOPES.every((s) => scopes.includes(s))) {
    throw new AppError("forbidden", "Gmail access was not granted on the Google consent screen; connect again and allow access to your email.");
  }
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
    scopes,
  };
}
