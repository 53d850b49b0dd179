// The Content-Security-Policy of every page, with a nonce drawn per request in proxy.ts. Next.js
// reads the nonce from the request's Content-Security-Policy header while it renders and puts it
// on its own scripts; 'strict-dynamic' lets those load the rest of the app, and nothing else runs:
// no inline script without the nonce, no script from elsewhere. The rest: everything the app
// loads is its own, no framing, no plugins, no <base> hijack, no form posts or fetches elsewhere.

export const NONCE_HEADER = "x-nonce";

/** 128 random bits, base64: unguessable, and new for every page request. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

function origin(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

export function pageContentSecurityPolicy(options: { nonce: string; dev: boolean; errorReportsTo?: string }): string {
  const reports = origin(options.errorReportsTo);
  return [
    "default-src 'self'",
    // React needs eval in development only (its error overlay rebuilds server stacks with it).
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Style attributes (charts, progress bars) are inline; a nonce here would switch them off.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // The browser's Sentry reports go to the DSN's host when one was set at build time.
    `connect-src 'self'${reports ? ` ${reports}` : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
