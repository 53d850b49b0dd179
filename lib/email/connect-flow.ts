import { z } from "zod";
import { getConfig } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import { googleSettings } from "./accounts";
import { redactTokens } from "./gmail-errors";
import { buildConsentUrl } from "./oauth";
import { createOAuthState, DEFAULT_RETURN_TO, returnToSchema } from "./oauth-state";

// The browser side of connecting Gmail: GET /api/email/connect sends the browser to Google's consent
// screen, Google sends it back to GET /api/email/oauth/callback, and that sends it on to the page it
// came from with `?connected=<id>` or `?connectError=<message>` (it is a navigation, not an API call).

export const CALLBACK_PATH = "/api/email/oauth/callback";

export const connectQuery = z.object({
  returnTo: returnToSchema.default(DEFAULT_RETURN_TO),
  loginHint: z.email().optional().describe("The Gmail address to preselect on Google's consent screen"),
});

// What Google appends to the redirect URI; other parameters it adds (scope, authuser, prompt) are ignored.
export const callbackQuery = z.object({
  code: z.string().min(1).max(4096).optional().describe("The authorization code, on success"),
  state: z.string().max(512).optional().describe("The state the connect request put in the consent URL"),
  error: z.string().max(200).optional().describe("Why Google did not grant access, e.g. access_denied"),
});

/** The redirect URI registered with the Google OAuth client. */
export function gmailRedirectUri(): string {
  return new URL(CALLBACK_PATH, getConfig().APP_URL).toString();
}

/** The consent URL to send the browser to and the state cookie to set on that response. */
export function startGmailConnection(input: { userId: string; returnTo?: string; loginHint?: string }): { consentUrl: string; cookie: string } {
  const settings = googleSettings();
  const { state, cookie } = createOAuthState({ userId: input.userId, returnTo: input.returnTo });
  const consentUrl = buildConsentUrl({ ...settings, redirectUri: gmailRedirectUri(), state, loginHint: input.loginHint });
  return { consentUrl, cookie };
}

/** An absolute URL on this site for `returnTo` (a checked path) with `params` added to its query. */
export function returnUrl(returnTo: string, params: Record<string, string>): string {
  const base = new URL(getConfig().APP_URL);
  const safe = returnToSchema.safeParse(returnTo).success ? returnTo : DEFAULT_RETURN_TO;
  const url = new URL(safe, base);
  // A checked path cannot leave the site; this guards the guard.
  if (url.origin !== base.origin) return new URL(DEFAULT_RETURN_TO, base).toString();
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

const GENERIC_FAILURE = "Connecting Gmail failed; try again in a moment.";
const MAX_MESSAGE = 200;

/**
 * A short message for `?connectError=`: an AppError's own message (written to be shown, e.g. "Google
 * did not return a refresh token…"), a generic one for anything unexpected, and never anything
 * that contains a token or the code.
 */
export function connectErrorMessage(error: unknown, secrets: readonly (string | null | undefined)[] = []): string {
  if (!isAppError(error) || error.code === "internal") return GENERIC_FAILURE;
  const message = redactTokens(error.message, secrets);
  if (message !== error.message) return GENERIC_FAILURE;
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

/** What the log says about a failed connection: the error's code or type and its message, tokens and code cut out. */
export function connectFailureLogFields(error: unknown, secrets: readonly (string | null | undefined)[] = []): Record<string, string> {
  if (isAppError(error)) return { code: error.code, reason: redactTokens(error.message, secrets) };
  if (error instanceof Error) return { errorType: error.name, reason: redactTokens(error.message, secrets).slice(0, 500) };
  return { errorType: typeof error };
}

/** The message for Google's `?error=` (the user pressed Cancel, or Google refused). */
export function consentErrorMessage(googleError: string): string {
  return googleError === "access_denied"
    ? "Gmail access was not granted; connect again and allow access to your email."
    : "Google did not complete the Gmail connection; connect again.";
}
