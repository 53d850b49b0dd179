// The headers every answer carries (next.config.ts gives them to everything Next.js serves, and
// lib/http/direct-dispatch.ts to the API answers it writes itself). Pages get their
// Content-Security-Policy, with a per-request nonce, from proxy.ts.

export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * API answers are JSON that nothing should run or frame; next-auth's own sign-out page
 * (GET /api/auth/signout) keeps its inline style and its form.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
