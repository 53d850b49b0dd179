import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getConfig, requireAuthSecret } from "@/lib/config";
import { resolveRequestId } from "@/lib/request-context";

// The front door: gives every request an id (accepting the caller's x-request-id), sends visitors
// without a session to sign-in, and answers unauthenticated API calls with 401 JSON. Handlers and
// pages check the session again in full (disabled accounts, revoked sessions).

const PUBLIC_PAGES = ["/sign-in"];
// Machine endpoints carry their own verification (signatures, agent tokens, the metrics token).
const PUBLIC_API = ["/api/auth", "/api/health", "/api/metrics", "/api/webhooks", "/api/agent", "/api/inngest", "/api/openapi.json", "/api/gmail/push"];

function isPublic(pathname: string): boolean {
  const matches = (prefix: string) => pathname === prefix || pathname.startsWith(prefix + "/");
  return PUBLIC_PAGES.some(matches) || PUBLIC_API.some(matches);
}

export async function proxy(req: NextRequest) {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  const { pathname, search } = req.nextUrl;

  if (!isPublic(pathname)) {
    const secureCookie = getConfig().APP_URL.startsWith("https://");
    const token = await getToken({ req, secret: requireAuthSecret(), secureCookie });
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

  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
