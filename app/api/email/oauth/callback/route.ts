import { NextResponse } from "next/server";
import { connectGmailAccount } from "@/lib/email/accounts";
import { callbackQuery, connectErrorMessage, connectFailureLogFields, consentErrorMessage, gmailRedirectUri, returnUrl } from "@/lib/email/connect-flow";
import { OAUTH_STATE_COOKIE, oauthStateCookieOptions, returnToFromCookie, verifyOAuthState } from "@/lib/email/oauth-state";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handler";
import { afterGmailConnected } from "@/lib/triage/account-setup";
import { redirect } from "@/lib/email/api-schemas";

// Google's redirect back from the consent screen. A browser navigation, so every outcome is a
// redirect to the page the connection started from: `?connected=<account id>` or
// `?connectError=<message>`. The code never appears in a redirect, a message or a log line.

export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "gmailOAuthCallback",
    summary: "Where Google sends the browser back after consent",
    description:
      "Checks `state` against the cookie and the signed-in user, stores the account's tokens encrypted and queues its first " +
      "backfill, then redirects to the page the connection started from with `?connected=<account id>`, or with " +
      "`?connectError=<message>` when the user declined, the state is stale or Google refused the code.",
    tags: ["email"],
    query: callbackQuery,
    responses: { "303": redirect("Back to the app", "The returnTo page with ?connected= or ?connectError=") },
  },
}, async ({ req, user, query, log }) => {
  const cookieValue = req.cookies.get(OAUTH_STATE_COOKIE)?.value;
  const code = req.nextUrl.searchParams.get("code");
  let location: string;
  try {
    const params = query(callbackQuery);
    const { returnTo } = verifyOAuthState({ stateParam: params.state, cookieValue, userId: user.id });
    if (params.error) throw new AppError("bad_request", consentErrorMessage(params.error));
    if (!params.code) throw new AppError("bad_request", "Google sent no authorization code; connect again.");
    const account = await connectGmailAccount({ code: params.code, redirectUri: gmailRedirectUri(), createdBy: user.id });
    await afterGmailConnected(account.id, user.id);
    location = returnUrl(returnTo, { connected: account.id });
  } catch (error) {
    const message = connectErrorMessage(error, [code]);
    log.warn({ ...connectFailureLogFields(error, [code]), userId: user.id }, "Gmail connection failed");
    location = returnUrl(returnToFromCookie(cookieValue), { connectError: message });
  }
  const response = NextResponse.redirect(location, 303);
  // One use: a second callback with the same state finds no cookie.
  response.cookies.set(OAUTH_STATE_COOKIE, "", oauthStateCookieOptions(0));
  response.headers.set("cache-control", "no-store");
  return response;
});
