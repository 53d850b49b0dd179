import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";

// Cross-site request protection for people's sessions. A browser marks every request with
// Sec-Fetch-Site and, on writes, Origin; a page on another site can make the browser send the
// session cookie but cannot forge either header. Callers without them (the CLI, curl, tests) are
// not browsers and cannot be used by another site, so they pass.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/** Null when the request may change state with the session it carries; otherwise why not. */
export function crossSiteProblem(method: string, headers: Headers): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = headers.get("sec-fetch-site")?.toLowerCase();
  if (site === "same-origin" || site === "none") return null;
  if (site) return `a ${site} request cannot change anything with your session`;
  const origin = headers.get("origin");
  if (!origin) return null;
  const host = originHost(origin);
  const allowed = new Set([headers.get("host")?.toLowerCase(), originHost(getConfig().APP_URL)].filter(Boolean));
  return host && allowed.has(host) ? null : `a request from ${origin === "null" ? "an opaque origin" : origin} cannot change anything with your session`;
}

export function assertSameOrigin(method: string, headers: Headers): void {
  const problem = crossSiteProblem(method, headers);
  if (problem) throw new AppError("forbidden", `Cross-site request refused: ${problem}.`);
}

/** Only `application/json` (or a `+json` type) counts: a browser cannot send it cross-site without a preflight. */
export function isJsonMediaType(contentType: string | null): boolean {
  const essence = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
