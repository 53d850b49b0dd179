import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { decodeSessionToken } from "@/lib/auth/session-jwt";
import { getConfig, requireAuthSecret } from "@/lib/config";
import { resolveRequestId } from "@/lib/request-context";
import { urlComponentProblem } from "@/lib/http/storable-input";
import { NONCE_HEADER, newNonce, pageContentSecurityPolicy } from "@/lib/http/content-security-policy";

// The front door for people: gives every request an id (accepting the caller's x-request-id), sends
// visitors without a session to sign-in, answers unauthenticated API calls with 401 JSON, and gives
// every page a Content-Security-Policy with a fresh nonce. Handlers and pages check the session again
// in full (disabled accounts, revoked sessions).
//
// API requests for a route's handle() handler do not come through here either: the server hands
// them to the handler directly (lib/http/direct-dispatch.ts), and handle() does all of this for
// them in full. What reaches the proxy under /api is what Next.js answers itself (next-auth, unknown
// addresses, HEAD/OPTIONS, addresses it redirects), and everything when DIRECT_API is off.
//
// Machine endpoints do not come through here at all (see `config.matcher`): each carries its own
// verification (agent tokens, signatures, the metrics token) in its handler, which also gives the
// request id and refuses what PostgreSQL cannot store, and skipping the proxy saves agents' calls
// a second pass through Next.js's request handling.

const PUBLIC_PAGES = ["/sign-in"];
const PUBLIC_API = ["/api/auth"];
/** Skip the proxy (kept in step with the matcher below; proxy.test.ts checks both). */
export const MACHINE_API = ["/api/agent", "/api/health", "/api/metrics", "/api/webhooks", "/api/gmail/push", "/api/inngest", "/api/openapi.json"];

function isPublic(pathname: string): boolean {
  const matches = (prefix: string) => pathname === prefix || pathname.startsWith(prefix + "/");
  return PUBLIC_PAGES.some(matches) || PUBLIC_API.some(matches) || MACHINE_API.some(matches);
}

export async function proxy(req: NextRequest) {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  const { pathname, search } = req.nextUrl;

  // A NUL or broken UTF-8 in the path or query would reach SQL as a page's or route's id: refuse it
  // here, once, for pages and API alike (handlers check again for callers that bypass the proxy).
  const raw = new URL(req.url);
  const problem = urlComponentProblem(raw.pathname) ?? urlComponentProblem(raw.search.slice(1));
  if (problem) {
    const message = `The address ${problem}`;
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error: { code: "bad_request", message }, requestId }, { status: 400, headers: { "x-request-id": requestId } })
      : new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": requestId } });
  }

  if (!isPublic(pathname)) {
    const secureCookie = getConfig().APP_URL.startsWith("https://");
    const token = await getToken({ req, secret: requireAuthSecret(), secureCookie, decode: decodeSessionToken });
    if (!token?.uid) {
      if (pathname.startsWith("/api/")) {
        return NextResponse.json(
          { error: { code: "unauthorized", message: "Sign in to use this endpoint" }, requestId },
          { status: 401, headers: { "x-request-id": requestId } },
        );
      }
      const signIn = new URL("/sign-in", req.url);
      if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
      const redirect = NextResponse.redirect(signIn);
      redirect.headers.set("x-request-id", requestId);
      return redirect;
    }
  }

  // Pages only: API answers are JSON (next.config.ts gives them a fixed, stricter policy).
  const policy = pathname.startsWith("/api/") ? null : pagePolicy();
  if (policy) {
    // Next.js takes the nonce from the request's policy while rendering and puts it on its scripts.
    headers.set(NONCE_HEADER, policy.nonce);
    headers.set("content-security-policy", policy.value);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  if (policy) response.headers.set("content-security-policy", policy.value);
  return response;
}

function pagePolicy(): { nonce: string; value: string } {
  const nonce = newNonce();
  // NEXT_PUBLIC_ variables are fixed at build time, like the browser bundle that reports to it.
  const errorReportsTo = process.env.NEXT_PUBLIC_SENTRY_DSN;
  return { nonce, value: pageContentSecurityPolicy({ nonce, dev: getConfig().NODE_ENV === "development", errorReportsTo }) };
}

export const config = {
  // Everything but static files and the machine endpoints (MACHINE_API).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt|api/(?:agent|health|metrics|webhooks|gmail/push|inngest|openapi\\.json)(?:/|$)).*)"],
};
