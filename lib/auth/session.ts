import { getServerSession } from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";
import { autocommit } from "@/lib/db/transaction";
import { findUserById, type PublicUser } from "@/lib/users/repository";

/**
 * The signed-in user, re-checked against the database on every request: a disabled account or a
 * password reset (which bumps sessionVersion) ends existing sessions at once, JWT or not.
 */
export async function getSessionUser(): Promise<PublicUser | null> {
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await findUserById(autocommit(), id);
  if (!user || user.disabledAt || user.sessionVersion !== session.sessionVersion) return null;
  return user;
}
