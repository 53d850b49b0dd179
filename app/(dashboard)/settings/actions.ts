"use server";

import { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { fieldIssues, isAppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { changeOwnPassword } from "@/lib/users/service";

import type { ChangePasswordState } from "@/components/change-password-form";

const input = z
  .object({
    currentPassword: z.string().min(1, "is required"),
    newPassword: z.string().min(1, "is required"),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "does not match the new password" });

export async function changePasswordAction(_prev: ChangePasswordState, form: FormData): Promise<ChangePasswordState> {
  const user = await getSessionUser();
  if (!user) return { status: "error", message: "Your session has ended. Sign in again." };
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
