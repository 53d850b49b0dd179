import { requirePermission, type Role } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { PublicUser } from "@/lib/users/repository";
import { createUser, listAllUsers, requireUserByEmail, setUserDisabled, setUserRole, type CreateUserInput } from "@/lib/users/service";

// Accounts managed by a person from Settings. Needs users.manage (owners and admins); an admin
// may not touch an owner's account or make anyone an owner. The CLI runs on the server as the
// operator and calls lib/users/service.ts directly.

type Manager = Pick<PublicUser, "id" | "role">;

function assertMayManage(manager: Manager, target: { role: Role } | null, newRole?: Role): void {
  requirePermission(manager, "users.manage");
  if (manager.role === "owner") return;
  if (target?.role === "owner" || newRole === "owner") {
    throw new AppError("forbidden", "Only an owner can change an owner's account or make someone an owner");
  }
}

export async function listUsersFor(manager: Manager): Promise<PublicUser[]> {
  requirePermission(manager, "users.manage");
  return listAllUsers();
}

/** Adds a person with a generated password, shown once to the one who added them. */
export async function addUser(manager: Manager, input: CreateUserInput): Promise<{ user: PublicUser; password: string }> {
  assertMayManage(manager, null, input.role as Role | undefined);
  return createUser({ ...input, password: undefined });
}

export async function changeUserRole(manager: Manager, email: string, role: Role): Promise<PublicUser> {
  const target = await requireUserByEmail(email);
  assertMayManage(manager, target, role);
  return setUserRole(target.email, role);
}

export async function changeUserDisabled(manager: Manager, email: string, disabled: boolean): Promise<PublicUser> {
  const target = await requireUserByEmail(email);
  assertMayManage(manager, target);
  if (disabled && target.id === manager.id) throw new AppError("conflict", "You cannot disable your own account");
  return setUserDisabled(target.email, disabled);
}
