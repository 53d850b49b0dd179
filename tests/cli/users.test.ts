import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { autocommit } from "@/lib/db/transaction";
import { findCredentialsByEmail, findUserByEmail } from "@/lib/users/repository";
import { cli, printedPassword } from "./run-cli";

async function storedHash(email: string): Promise<string> {
  const credentials = await findCredentialsByEmail(autocommit(), email);
  if (!credentials?.passwordHash) throw new Error(`no stored password for ${email}`);
  return credentials.passwordHash;
}

describe("pa users", () => {
  it("creates a user with a generated password that is printed once and verifies against the stored hash", async () => {
    const run = await cli(["users", "create", "Ada@Example.com", "--name", "Ada Lovelace"]);
    expect(run.code).toBe(0);
    expect(run.err).toBe("");
    expect(run.out).toMatch(/^Created member ada@example\.com \(usr_[0-9a-z]+\)\./);
    expect(run.out).toContain("will not be shown again");
    const password = printedPassword(run.out);
    expect(await verifyPassword(password, await storedHash("ada@example.com"))).toBe(true);
  });

  it("lists users as a table and as JSON", async () => {
    await cli(["users", "create", "grace@example.com", "--name", "Grace Hopper", "--role", "owner"]);

    const table = await cli(["users", "list"]);
    expect(table.code).toBe(0);
    expect(table.lines[0]).toMatch(/^EMAIL\s+NAME\s+ROLE\s+STATUS\s+LAST SIGN-IN\s+CREATED$/);
    const grace = table.lines.find((line) => line.startsWith("grace@example.com"));
    expect(grace).toMatch(/^grace@example\.com\s+Grace Hopper\s+owner\s+active\s+never\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const json = await cli(["users", "list", "--json"]);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as Record<string, unknown>[];
    expect(rows.find((r) => r.email === "grace@example.com")).toMatchObject({
      name: "Grace Hopper",
      role: "owner",
      status: "active",
      lastSignInAt: null,
      id: expect.stringMatching(/^usr_/),
    });
    expect(JSON.stringify(rows)).not.toMatch(/passwordHash|scrypt/);
  });

  it("refuses a duplicate email with exit code 1 and a clear message", async () => {
    await cli(["users", "create", "dup@example.com"]);
    const again = await cli(["users", "create", "DUP@example.com"]);
    expect(again.code).toBe(1);
    expect(again.out).toBe("");
    expect(again.err).toBe("error: A user with the email dup@example.com already exists");
  });

  it("reports invalid input as a validation error with the field", async () => {
    const run = await cli(["users", "create", "not-an-email"]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error: User is invalid \(email: must be a valid email address\)/);
  });

  it("takes the password from standard input when asked, and validates it", async () => {
    const run = await cli(["users", "create", "piped@example.com", "--password-stdin"], { stdin: "a piped secret 123\n" });
    expect(run.code).toBe(0);
    expect(run.out).not.toContain("Password:");
    expect(run.out).not.toContain("a piped secret");
    // The trailing newline from `echo` is not part of the password.
    expect(await verifyPassword("a piped secret 123", await storedHash("piped@example.com"))).toBe(true);

    const tooShort = await cli(["users", "create", "short@example.com", "--password-stdin"], { stdin: "short\n" });
    expect(tooShort.code).toBe(1);
    expect(tooShort.err).toContain("at least 10 characters");
    expect(await findUserByEmail(autocommit(), "short@example.com")).toBeNull();

    const empty = await cli(["users", "create", "empty@example.com", "--password-stdin"], { stdin: "" });
    expect(empty.code).toBe(1);
    expect(empty.err).toContain("No password was given on standard input");
  });

  it("reset-password replaces the hash, prints the new password and signs the user out", async () => {
    const created = await cli(["users", "create", "reset@example.com"]);
    const oldPassword = printedPassword(created.out);
    const before = await findUserByEmail(autocommit(), "reset@example.com");

    const run = await cli(["users", "reset-password", "reset@example.com"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Existing sessions of this account were signed out.");
    const newPassword = printedPassword(run.out);
    expect(newPassword).not.toBe(oldPassword);

    const hash = await storedHash("reset@example.com");
    expect(await verifyPassword(oldPassword, hash)).toBe(false);
    expect(await verifyPassword(newPassword, hash)).toBe(true);
    const after = await findUserByEmail(autocommit(), "reset@example.com");
    expect(after!.sessionVersion).toBe(before!.sessionVersion + 1);

    const piped = await cli(["users", "reset-password", "reset@example.com", "--password-stdin"], { stdin: "chosen-password-42" });
    expect(piped.code).toBe(0);
    expect(piped.out).not.toContain("chosen-password-42");
    expect(await verifyPassword("chosen-password-42", await storedHash("reset@example.com"))).toBe(true);
  });

  it("reset-password for an unknown email fails with not found", async () => {
    const run = await cli(["users", "reset-password", "nobody@example.com"]);
    expect(run.code).toBe(1);
    expect(run.err).toBe("error: No user with the email nobody@example.com");
  });

  it("disables and enables a user", async () => {
    await cli(["users", "create", "toggle@example.com"]);
    const before = await findUserByEmail(autocommit(), "toggle@example.com");

    const disabled = await cli(["users", "disable", "toggle@example.com"]);
    expect(disabled.code).toBe(0);
    expect(disabled.out).toContain("Disabled toggle@example.com");
    const row = (await cli(["users", "list"])).lines.find((l) => l.startsWith("toggle@example.com"));
    expect(row).toMatch(/\sdisabled\s/);
    const afterDisable = await findUserByEmail(autocommit(), "toggle@example.com");
    expect(afterDisable!.disabledAt).toBeInstanceOf(Date);
    expect(afterDisable!.sessionVersion).toBeGreaterThan(before!.sessionVersion);

    const enabled = await cli(["users", "enable", "toggle@example.com"]);
    expect(enabled.code).toBe(0);
    expect((await findUserByEmail(autocommit(), "toggle@example.com"))!.disabledAt).toBeNull();
    const json = JSON.parse((await cli(["users", "list", "--json"])).out) as { email: string; status: string }[];
    expect(json.find((u) => u.email === "toggle@example.com")!.status).toBe("active");
  });

  it("refuses to disable the last active owner", async () => {
    // grace@example.com (created above) is the only owner in this file's database.
    const refused = await cli(["users", "disable", "grace@example.com"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("last active owner");
    expect((await findUserByEmail(autocommit(), "grace@example.com"))!.disabledAt).toBeNull();

    await cli(["users", "create", "second-owner@example.com", "--role", "owner"]);
    expect((await cli(["users", "disable", "grace@example.com"])).code).toBe(0);
    expect((await cli(["users", "disable", "second-owner@example.com"])).code).toBe(1);
  });

  it("gives an account another role, but not the last active owner", async () => {
    await cli(["users", "create", "watcher@example.com", "--role", "viewer"]);
    const promoted = await cli(["users", "set-role", "watcher@example.com", "admin"]);
    expect(promoted.code).toBe(0);
    expect(promoted.out).toContain("watcher@example.com is now admin.");
    expect((await findUserByEmail(autocommit(), "watcher@example.com"))!.role).toBe("admin");

    // second-owner@example.com is the only active owner now.
    const refused = await cli(["users", "set-role", "second-owner@example.com", "member"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("last active owner");
    expect((await cli(["users", "set-role", "watcher@example.com", "boss"])).code).toBe(2);
  });
});
