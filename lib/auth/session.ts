import { getServerSession } from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";
import { autocommit } from "@/lib/db/transaction";
import { isSessionRevoked } from "@/lib/auth/revoked-sessions.repository";
import { findUserById, type PublicUser } from "@/lib/users/repository";

/**
 * The signed-in user, re-checked against the database on every request: a disabled account, a
 * password reset or change (which bump sessionVersion) or signing out (which revokes the session
 * id) ends the session at once, JWT or not. Tokens from before session ids existed are refused.
 */
export async function getSessionUser(): Promise<PublicUser | null> {
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id || !session.sid) return null;
  const [user, revoked] = await Promise.all([findUserById(autocommit(), id), isSessionRevoked(autocommit(), session.sid)]);
  if (!user || revoked || user.disabledAt || user.sessionVersion !== session.sessionVersion) return null;
  return user;
}
