import { NextResponse } from "next/server";
import { connectQuery, startGmailConnection } from "@/lib/email/connect-flow";
import { OAUTH_STATE_COOKIE, oauthStateCookieOptions } from "@/lib/email/oauth-state";
import { handle } from "@/lib/http/handler";
import { errorResponse } from "@/lib/openapi/operations";
import { redirect } from "@/lib/email/api-schemas";

// Starts connecting a Gmail account: a browser navigation to Google's consent screen, with the
// signed state cookie the callback checks. 503 when no Google OAuth client is configured.

export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "connectGmail",
    summary: "Start connecting a Gmail account (a browser navigation)",
    description:
      "Redirects to Google's consent screen for the gmail.modify scope, with a random `state` and a signed, httpOnly " +
      "cookie (`pa_gmail_oauth`, 10 minutes) that the callback checks.",
    tags: ["email"],
    query: connectQuery,
    responses: {
      "302": redirect("To Google's consent screen", "Google's consent URL"),
      "400": "BadRequest",
      "503": errorResponse("Gmail is not configured here (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)"),
    },
  },
}, async ({ user, query }) => {
  const { returnTo, loginHint } = query(connectQuery);
  const { consentUrl, cookie } = startGmailConnection({ userId: user.id, returnTo, loginHint });
  const response = NextResponse.redirect(consentUrl, 302);
  response.cookies.set(OAUTH_STATE_COOKIE, cookie, oauthStateCookieOptions());
  response.headers.set("cache-control", "no-store");
  return response;
});
