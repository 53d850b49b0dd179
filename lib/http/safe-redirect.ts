// Where the app may send a browser after sign-in or a consent screen: a path on this site, and
// nothing a browser could read as another host. Browsers treat `\` like `/` and drop tabs and
// newlines, so `/\evil.example` or `/\t/evil.example` would leave the site; both are refused, as is
// anything that resolves to another origin.

const PROBE_ORIGIN = "http://app.invalid";

export function isSafeLocalPath(value: string): boolean {
  if (!/^\/(?![/\\])/.test(value) || /[\u0000-\u001f\u007f\\]/.test(value)) return false;
  try {
    return new URL(value, PROBE_ORIGIN).origin === PROBE_ORIGIN;
  } catch {
    return false;
  }
}

/** The value when it is a safe local path, otherwise the fallback (`/`). */
export function safeLocalPath(value: string | string[] | null | undefined, fallback = "/"): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return candidate && isSafeLocalPath(candidate) ? candidate : fallback;
}
