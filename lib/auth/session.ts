import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { Prisma } from "@/generated/prisma/client";
import { decodeSessionToken } from "@/lib/auth/session-jwt";
import { authCache } from "@/lib/auth/auth-changes";
import { getConfig, requireAuthSecret } from "@/lib/config";
import { queryRows } from "@/lib/db/query-rows";
import { autocommit } from "@/lib/db/transaction";
import type { PublicUser } from "@/lib/users/repository";

/** A request's cookies (NextRequest's `cookies`, or next/headers' for pages and actions). */
export type CookieJar = { getAll(): { name: string; value: string }[] };

/**
 * The signed-in user, checked against the database (that answer kept until anything changes it, at
 * most AUTH_CACHE_SECONDS): a disabled account, a password reset or change (which bump
 * sessionVersion) or signing out (which revokes the session id) ends the session at once, JWT or not. Tokens from before session ids existed are refused.
 *
 * The session cookie is only read here (next-auth's getToken decrypts and checks its expiry);
 * getServerSession would also re-encrypt it into a new cookie on every call, which a route handler
 * or page cannot set anyway. The user and the revocation come in one prepared statement. Route
 * handlers pass their request's cookies (they may run outside Next.js's request scope, see
 * lib/http/direct-dispatch.ts); pages and server actions read them from next/headers.
 */
type SessionRow = PublicUser & { revoked: boolean };

/**
 * A session's user and whether the session was revoked, kept for a few seconds when it lets the
 * request in (lib/auth/auth-changes.ts): signing out, a disabled account, a new role or password
 * drops it at once.
 */
const sessionUsers = authCache<SessionRow | null>("session-users");

async function readSessionUser(id: string, sid: string): Promise<SessionRow | null> {
  const [row] = await queryRows<SessionRow>(autocommit(), Prisma.sql`
    SELECT u.id, u.email, u.name, u.role::text AS role, u.session_version AS "sessionVersion", u.disabled_at AS "disabledAt",
           u.last_sign_in_at AS "lastSignInAt", u.created_at AS "createdAt",
           EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.sid = ${sid}) AS revoked
      FROM users u WHERE u.id = ${id}`);
  return row ?? null;
}

export async function getSessionUser(jar?: CookieJar): Promise<PublicUser | null> {
  jar ??= await cookies();
  const token = await getToken({
    req: { cookies: Object.fromEntries(jar.getAll().map((cookie) => [cookie.name, cookie.value])), headers: {} } as Parameters<typeof getToken>[0]["req"],
    secret: requireAuthSecret(),
    secureCookie: getConfig().APP_URL.startsWith("https://"),
    decode: decodeSessionToken,
  });
  const id = typeof token?.uid === "string" ? token.uid : null;
  const sid = typeof token?.sid === "string" ? token.sid : null;
  if (!id || !sid) return null;
  const row = await sessionUsers.get(`${id}\u0000${sid}`, () => readSessionUser(id, sid), (kept) => kept !== null && !kept.revoked && !kept.disabledAt);
  if (!row || row.revoked || row.disabledAt || row.sessionVersion !== (token?.sv ?? 0)) return null;
  const { revoked: _revoked, ...user } = row;
  return user;
}
