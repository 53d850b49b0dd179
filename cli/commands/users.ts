import { Argument, Option } from "commander";
import { ROLES, ROLE_SUMMARIES, type Role } from "@/lib/auth/permissions";
import { normalizeEmail, type PublicUser } from "@/lib/users/repository";
import { createUser, listAllUsers, resetPassword, setUserDisabled, setUserRole } from "@/lib/users/service";
import type { RegisterCommands } from "../context";
import { formatTable, formatTimestamp } from "../format";
import { CLI_INVOCATION, readPasswordFromStdin } from "../io";

// `pa users …`: the accounts that can sign in. All rules (unique email, password length, the last
// active owner) live in lib/users/service.ts; this file only parses and prints.

const ROLE_HELP = `roles: ${ROLES.map((role) => `${role} — ${ROLE_SUMMARIES[role]}`).join(" ")}`;

const NOT_SHOWN_AGAIN = "This password will not be shown again; store or share it securely now.";

function status(user: PublicUser): "active" | "disabled" {
  return user.disabledAt ? "disabled" : "active";
}

function toJson(user: PublicUser) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: status(user),
    disabledAt: user.disabledAt?.toISOString() ?? null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export const registerUsersCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const users = program.command("users").description("create and manage the accounts that can sign in");

  users
    .command("create")
    .summary("create an account")
    .description("Create an account. Prints a generated password once, unless --password-stdin gives one.")
    .argument("<email>", "email address they sign in with")
    .option("--name <name>", "display name")
    .addOption(new Option("--role <role>", ROLE_HELP).choices(ROLES).default("member"))
    .option("--password-stdin", "read the password from standard input instead of generating one")
    .action(async (email: string, options: { name?: string; role: Role; passwordStdin?: boolean }) => {
      const chosen = options.passwordStdin ? await readPasswordFromStdin(io) : undefined;
      await context.connectDatabase();
      const { user, password } = await createUser({ email, name: options.name, role: options.role, password: chosen });
      io.out(`Created ${user.role} ${user.email} (${user.id}).`);
      if (chosen) {
        io.out("The password is the one given on standard input.");
      } else {
        io.out(`Password: ${password}`);
        io.out(NOT_SHOWN_AGAIN);
      }
    });

  users
    .command("list")
    .summary("list accounts")
    .description("List every account with its role, status (active or disabled), last sign-in and creation date.")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await context.connectDatabase();
      const all = await listAllUsers();
      if (options.json) {
        io.out(JSON.stringify(all.map(toJson), null, 2));
        return;
      }
      if (all.length === 0) {
        io.out(`No users yet. Create one with \`${CLI_INVOCATION} users create <email>\`.`);
        return;
      }
      const rows = all.map((u) => [
        u.email,
        u.name ?? "-",
        u.role,
        status(u),
        formatTimestamp(u.lastSignInAt, "never"),
        formatTimestamp(u.createdAt),
      ]);
      for (const line of formatTable(["EMAIL", "NAME", "ROLE", "STATUS", "LAST SIGN-IN", "CREATED"], rows)) io.out(line);
    });

  users
    .command("reset-password")
    .summary("set a new password and sign the account out")
    .description(
      "Set a new password (generated and printed once, unless --password-stdin gives one) and sign the account out everywhere.",
    )
    .argument("<email>", "the account's email address")
    .option("--password-stdin", "read the new password from standard input instead of generating one")
    .action(async (email: string, options: { passwordStdin?: boolean }) => {
      const chosen = options.passwordStdin ? await readPasswordFromStdin(io) : undefined;
      await context.connectDatabase();
      const { password } = await resetPassword(email, chosen);
      if (chosen) {
        io.out(`Password for ${normalizeEmail(email)} set from standard input.`);
      } else {
        io.out(`New password for ${normalizeEmail(email)}: ${password}`);
        io.out(NOT_SHOWN_AGAIN);
      }
      io.out("Existing sessions of this account were signed out.");
    });

  users
    .command("disable")
    .summary("stop an account from signing in")
    .description("Stop an account from signing in and sign it out everywhere. The last active owner cannot be disabled.")
    .argument("<email>", "the account's email address")
    .action(async (email: string) => {
      await context.connectDatabase();
      const user = await setUserDisabled(email, true);
      io.out(`Disabled ${user.email}; its sessions were signed out.`);
    });

  users
    .command("set-role")
    .summary("give an account another role")
    .description(`Give an account another role; it applies to their next request. The last active owner keeps the role.\n${ROLE_HELP}`)
    .argument("<email>", "the account's email address")
    .addArgument(new Argument("<role>", "the new role").choices(ROLES))
    .action(async (email: string, role: Role) => {
      await context.connectDatabase();
      const user = await setUserRole(email, role);
      io.out(`${user.email} is now ${user.role}.`);
    });

  users
    .command("enable")
    .summary("let a disabled account sign in again")
    .description("Let a disabled account sign in again.")
    .argument("<email>", "the account's email address")
    .action(async (email: string) => {
      await context.connectDatabase();
      const user = await setUserDisabled(email, false);
      io.out(`Enabled ${user.email}; it can sign in again.`);
    });
};
