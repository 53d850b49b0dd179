import { can, refusalMessage, type Permission } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import type { PublicUser } from "@/lib/users/repository";

// Server actions answer with a result, not a thrown error: this is the one check each starts with.

export type ActionAuth = { ok: true; user: PublicUser } | { ok: false; code: "unauthorized" | "forbidden"; message: string };

/** The signed-in user whose role has `permission` (null: any signed-in user), or why not. */
export async function authorizeAction(permission: Permission | null): Promise<ActionAuth> {
  const user = await getSessionUser();
  if (!user) return { ok: false, code: "unauthorized", message: "Your session has ended. Sign in again." };
  if (permission && !can(user.role, permission)) return { ok: false, code: "forbidden", message: refusalMessage(user.role, permission) };
  return { ok: true, user };
}
