"use server";

import { z } from "zod";
import { authorizeAction } from "@/lib/auth/action-user";
import { fieldIssues, isAppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { revalidatePath } from "next/cache";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { addUser, changeUserDisabled, changeUserRole } from "@/lib/users/manage";
import type { PublicUser } from "@/lib/users/repository";
import { changeOwnPassword } from "@/lib/users/service";
import type { PeopleResult } from "@/components/settings/people";

import type { ChangePasswordState } from "@/components/change-password-form";

const input = z
  .object({
    currentPassword: z.string().min(1, "is required"),
    newPassword: z.string().min(1, "is required"),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "does not match the new password" });

export async function changePasswordAction(_prev: ChangePasswordState, form: FormData): Promise<ChangePasswordState> {
  const auth = await authorizeAction(null);
  if (!auth.ok) return { status: "error", message: auth.message };
  const user = auth.user;
  const parsed = input.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return {
      status: "error",
      message: "Check the highlighted fields.",
      fields: Object.fromEntries(fieldIssues(parsed.error).map((i) => [i.path, i.message])),
    };
  }
  try {
    await changeOwnPassword(user.id, parsed.data.currentPassword, parsed.data.newPassword);
    return { status: "done" };
  } catch (error) {
    if (isAppError(error)) {
      const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
      const fields = Object.fromEntries(issues.map((i) => [i.path || "newPassword", i.message]));
      return { status: "error", message: error.message, fields };
    }
    getLogger({ component: "settings" }).error({ err: error }, "password change failed");
    return { status: "error", message: "The password could not be changed. Try again." };
  }
}

// Settings → People. Each checks users.manage (and the owner rules) in lib/users/manage.ts.

async function managing<T>(what: string, fn: (manager: PublicUser) => Promise<T>): Promise<PeopleResult<T>> {
  const auth = await authorizeAction("users.manage");
  if (!auth.ok) return { status: "error", message: auth.message };
  try {
    const value = await fn(auth.user);
    revalidatePath("/settings");
    return { status: "ok", value };
  } catch (error) {
    if (isAppError(error)) {
      const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
      return { status: "error", message: issues.length ? `${error.message}: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}` : error.message };
    }
    if (error instanceof z.ZodError) return { status: "error", message: `That is not valid: ${fieldIssues(error).map((i) => `${i.path || "value"} ${i.message}`).join("; ")}` };
    getLogger({ component: "settings" }).error({ err: error }, `${what} failed`);
    return { status: "error", message: `That did not work (${what}). Try again.` };
  }
}

const roleArg = z.enum(ROLES);

export async function addUserAction(input: { email: string; name?: string; role: Role }) {
  return managing("adding a person", async (manager) => {
    const { user, password } = await addUser(manager, { email: input?.email, name: input?.name, role: roleArg.parse(input?.role) });
    return { email: user.email, password };
  });
}

export async function changeUserRoleAction(email: string, role: Role) {
  return managing("changing a role", async (manager) => {
    await changeUserRole(manager, z.string().parse(email), roleArg.parse(role));
    return undefined;
  });
}

export async function setUserDisabledAction(email: string, disabled: boolean) {
  return managing(disabled ? "disabling an account" : "enabling an account", async (manager) => {
    await changeUserDisabled(manager, z.string().parse(email), z.boolean().parse(disabled));
    return undefined;
  });
}
