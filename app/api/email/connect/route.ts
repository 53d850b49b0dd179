import { NextResponse } from "next/server";
import { connectQuery, startGmailConnection } from "@/lib/email/connect-flow";
import { OAUTH_STATE_COOKIE, oauthStateCookieOptions } from "@/lib/email/oauth-state";
import { handle } from "@/lib/http/handler";

// Starts connecting a Gmail account: a browser navigation to Google's consent screen, with the
// signed state cookie the callback checks. 503 when no Google OAuth client is configured.

export const GET = handle({ auth: "session", allow: "settings.manage" }, async ({ user, query }) => {
  const { returnTo, loginHint } = query(connectQuery);
  const { consentUrl, cookie } = startGmailConnection({ userId: user.id, returnTo, loginHint });
  const response = NextResponse.redirect(consentUrl, 302);
  response.cookies.set(OAUTH_STATE_COOKIE, cookie, oauthStateCookieOptions());
  response.headers.set("cache-control", "no-store");
  return response;
});
