import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import type { PublicUser } from "@/lib/users/repository";

/** For server components: the signed-in user, or a redirect to sign-in. */
export async function requirePageUser(): Promise<PublicUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}
