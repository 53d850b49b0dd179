import { redirect } from "next/navigation";
import { can, homePathFor, type Permission } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import type { PublicUser } from "@/lib/users/repository";

/** For server components: the signed-in user, or a redirect to sign-in. */
export async function requirePageUser(): Promise<PublicUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

/**
 * For a page: the signed-in user whose role has `permission`; a role without it is sent to its
 * own home page (the overview, or the chat for members), never shown the page.
 */
export async function requirePagePermission(permission: Permission): Promise<PublicUser> {
  const user = await requirePageUser();
  if (!can(user.role, permission)) redirect(homePathFor(user.role));
  return user;
}
