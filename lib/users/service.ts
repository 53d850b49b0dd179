import { z } from "zod";
import { Prisma, type UserRole } from "@/generated/prisma/client";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { generatePassword, hashPassword, PASSWORD_RULES, verifyPassword } from "@/lib/auth/password";
import { withTransaction, type Tx } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import * as users from "@/lib/users/repository";

// Trimmed first, as sign-in does, so a pasted " ada@example.com " is the same address.
export const emailSchema = z.string().trim().pipe(z.email("must be a valid email address").max(320));
export const passwordSchema = z
  .string()
  .min(PASSWORD_RULES.min, `must be at least ${PASSWORD_RULES.min} characters`)
  .max(PASSWORD_RULES.max, `must be at most ${PASSWORD_RULES.max} characters`);

export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).default("member"),
  password: passwordSchema.optional(),
});

export type CreateUserInput = z.input<typeof createUserInput>;

type NewUser = { data: { email: string; name: string | null; role: UserRole; passwordHash: string }; password: string };

/** Validates the input and hashes the password, before any transaction is open (hashing is slow). */
async function prepareUser(input: CreateUserInput): Promise<NewUser> {
  const parsed = createUserInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "User");
  const password = parsed.data.password ?? generatePassword();
  const { email, name, role } = parsed.data;
  return { data: { email, name: name ?? null, role, passwordHash: await hashPassword(password) }, password };
}

async function insertNewUser(tx: Tx, { data }: NewUser): Promise<users.PublicUser> {
  const conflict = () =>
    new AppError("conflict", `A user with the email ${users.normalizeEmail(data.email)} already exists`);
  if (await users.findUserByEmail(tx, data.email)) throw conflict();
  try {
    return await users.insertUser(tx, data);
  } catch (error) {
    // Created by a concurrent call between our check and our insert.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw conflict();
    throw error;
  }
}

/** Creates a user. Without a password one is generated and returned once; it is never stored in clear. */
export async function createUser(input: CreateUserInput): Promise<{ user: users.PublicUser; password: string }> {
  const prepared = await prepareUser(input);
  const user = await withTransaction((tx) => insertNewUser(tx, prepared));
  return { user, password: prepared.password };
}

export async function requireUserByEmail(email: string): Promise<users.PublicUser> {
  const user = await withTransaction((tx) => users.findUserByEmail(tx, email));
  if (!user) throw new AppError("not_found", `No user with the email ${users.normalizeEmail(email)}`);
  return user;
}

/** Sets a new password (generated when none is given) and signs the user out everywhere. */
export async function resetPassword(email: string, newPassword?: string): Promise<{ password: string }> {
  const password = newPassword ?? generatePassword();
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw validationError(parsed.error, "Password");
  const user = await requireUserByEmail(email);
  const passwordHash = await hashPassword(password);
  await withTransaction((tx) =>
    users.updateUser(tx, user.id, { passwordHash, sessionVersion: { increment: 1 } }),
  );
  return { password };
}

/** Changes the signed-in user's own password after checking the current one. */
export async function changeOwnPassword(userId: string, current: string, next: string): Promise<void> {
  const parsed = passwordSchema.safeParse(next);
  if (!parsed.success) throw validationError(parsed.error, "New password");
  const user = await withTransaction((tx) => users.findUserById(tx, userId));
  if (!user) throw new AppError("not_found", "Your account no longer exists");
  const credentials = await withTransaction((tx) => users.findCredentialsByEmail(tx, user.email));
  if (!credentials?.passwordHash || !(await verifyPassword(current, credentials.passwordHash))) {
    throw new AppError("validation_failed", "The current password is not correct", {
      issues: [{ path: "currentPassword", message: "is not correct" }],
    });
  }
  const passwordHash = await hashPassword(next);
  await withTransaction((tx) => users.updateUser(tx, userId, { passwordHash, sessionVersion: { increment: 1 } }));
}

export async function setUserDisabled(email: string, disabled: boolean): Promise<users.PublicUser> {
  const user = await requireUserByEmail(email);
  return withTransaction(async (tx) => {
    if (disabled && user.role === "owner") {
      // Two owners disabling each other at once would otherwise both see two active owners.
      await users.lockOwners(tx);
      const activeOwners = await users.countUsers(tx, { role: "owner", disabledAt: null });
      if (activeOwners <= 1 && !user.disabledAt) {
        throw new AppError("conflict", "This is the last active owner; create another owner before disabling it");
      }
    }
    return users.updateUser(tx, user.id, {
      disabledAt: disabled ? (user.disabledAt ?? new Date()) : null,
      sessionVersion: { increment: 1 },
    });
  });
}

/**
 * Gives a user another role; it applies to their next request (every request re-reads the user).
 * The last active owner keeps the role.
 */
export async function setUserRole(email: string, role: Role): Promise<users.PublicUser> {
  const parsed = z.enum(ROLES).safeParse(role);
  if (!parsed.success) throw validationError(parsed.error, "Role");
  const user = await requireUserByEmail(email);
  return withTransaction(async (tx) => {
    if (user.role === "owner" && parsed.data !== "owner") {
      await users.lockOwners(tx);
      const activeOwners = await users.countUsers(tx, { role: "owner", disabledAt: null });
      if (activeOwners <= 1 && !user.disabledAt) {
        throw new AppError("conflict", "This is the last active owner; make someone else an owner first");
      }
    }
    return users.updateUser(tx, user.id, { role: parsed.data });
  });
}

export function listAllUsers(): Promise<users.PublicUser[]> {
  return withTransaction((tx) => users.listUsers(tx));
}

/**
 * Makes sure someone can sign in on a fresh install: when there is no user at all, creates the
 * owner with a generated password and returns it so the start script can print it once.
 */
export async function ensureOwner(email: string): Promise<{ created: false } | { created: true; email: string; password: string }> {
  const existing = await withTransaction((tx) => users.countUsers(tx));
  if (existing > 0) return { created: false };
  const prepared = await prepareUser({ email, role: "owner", name: "Owner" });
  return withTransaction(async (tx) => {
    // Two start-ups at the same moment both saw no user; the lock makes the second see the first's owner.
    await users.lockOwners(tx);
    if ((await users.countUsers(tx)) > 0) return { created: false };
    const user = await insertNewUser(tx, prepared);
    return { created: true, email: user.email, password: prepared.password };
  });
}
