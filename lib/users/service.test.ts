import { describe, expect, it } from "vitest";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { verifyPassword } from "@/lib/auth/password";
import { disconnectDb, getDb } from "@/lib/db/client";
import {
  changeOwnPassword,
  createUser,
  ensureOwner,
  listAllUsers,
  resetPassword,
  setUserDisabled,
  setUserRole,
} from "@/lib/users/service";
import { failure } from "@/tests/setup/app-error";

// Against the file's own PostgreSQL; every test uses its own emails. ensureOwner needs an empty
// users table, so its tests clear it first and run in order.

function storedUser(email: string) {
  return getDb().user.findUniqueOrThrow({ where: { email } });
}

describe("createUser", () => {
  it("creates a member with a generated password that signs in, storing only its hash", async () => {
    const { user, password } = await createUser({ email: "  New.Person@Example.com ", name: " Nia " });

    expect(user).toMatchObject({ email: "new.person@example.com", name: "Nia", role: "member", disabledAt: null });
    expect(user.id).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(user).not.toHaveProperty("passwordHash");
    expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    const stored = await storedUser("new.person@example.com");
    expect(stored.passwordHash).not.toContain(password);
    expect(await verifyPassword(password, stored.passwordHash!)).toBe(true);
    expect((await signInWithPassword("new.person@example.com", password, "127.0.0.1")).id).toBe(user.id);
  });

  it("uses the password it is given", async () => {
    const { password } = await createUser({ email: "given@example.com", password: "chosen by the owner" });
    expect(password).toBe("chosen by the owner");
    expect(await verifyPassword("chosen by the owner", (await storedUser("given@example.com")).passwordHash!)).toBe(true);
  });

  it.each([
    ["email", { email: "not-an-email" }, "must be a valid email address"],
    ["password", { email: "short@example.com", password: "short" }, "must be at least 10 characters"],
    ["role", { email: "role@example.com", role: "boss" as "owner" }, expect.any(String)],
  ])("refuses a bad %s with validation_failed naming the field", async (field, input, message) => {
    const error = await failure(createUser(input));
    expect(error.code).toBe("validation_failed");
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ issues: [{ path: field, message }] });
    expect(await getDb().user.count({ where: { email: input.email } })).toBe(0);
  });

  it("refuses a second account for the same email, whatever its case", async () => {
    await createUser({ email: "twice@example.com" });

    const error = await failure(createUser({ email: "TWICE@Example.COM" }));

    expect(error.code).toBe("conflict");
    expect(error.status).toBe(409);
    expect(error.message).toBe("A user with the email twice@example.com already exists");
    expect(await getDb().user.count({ where: { email: { equals: "twice@example.com", mode: "insensitive" } } })).toBe(1);
  });

  it("answers conflict, not a database error, when the same email is created twice at once", async () => {
    // A fresh pool, as just after start-up: opening connections lines the callers up in the check-then-insert window.
    await disconnectDb();
    const emails = ["race@example.com", "Race@example.com", "RACE@example.com", "race@Example.com"];
    const results = await Promise.allSettled([...emails, ...emails].map((email) => createUser({ email })));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ code: "conflict", status: 409 });
    }
    expect(await getDb().user.count({ where: { email: "race@example.com" } })).toBe(1);
  });
});

describe("resetPassword", () => {
  it("replaces the password and ends existing sessions", async () => {
    const { password: old } = await createUser({ email: "reset@example.com" });
    const before = await storedUser("reset@example.com");

    const { password } = await resetPassword("Reset@Example.com");

    expect(password).not.toBe(old);
    const after = await storedUser("reset@example.com");
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect((await failure(signInWithPassword("reset@example.com", old, "127.0.0.2"))).status).toBe(401);
    expect((await signInWithPassword("reset@example.com", password, "127.0.0.2")).sessionVersion).toBe(
      after.sessionVersion,
    );
  });

  it("takes a chosen password, but not a short one", async () => {
    await createUser({ email: "reset2@example.com" });
    const error = await failure(resetPassword("reset2@example.com", "tiny"));
    expect(error.code).toBe("validation_failed");
    expect((await storedUser("reset2@example.com")).sessionVersion).toBe(1);

    expect(await resetPassword("reset2@example.com", "a long new password")).toEqual({ password: "a long new password" });
    expect(await verifyPassword("a long new password", (await storedUser("reset2@example.com")).passwordHash!)).toBe(true);
  });

  it("answers not_found for an unknown email", async () => {
    expect((await failure(resetPassword("ghost@example.com"))).code).toBe("not_found");
  });
});

describe("changeOwnPassword", () => {
  it("changes the password after checking the current one and ends other sessions", async () => {
    const { user } = await createUser({ email: "change@example.com", password: "the current one" });

    await changeOwnPassword(user.id, "the current one", "the brand new one");

    const stored = await storedUser("change@example.com");
    expect(stored.sessionVersion).toBe(2);
    expect(await verifyPassword("the brand new one", stored.passwordHash!)).toBe(true);
    expect(await verifyPassword("the current one", stored.passwordHash!)).toBe(false);
  });

  it("refuses a wrong current password and keeps the old one", async () => {
    const { user } = await createUser({ email: "change2@example.com", password: "the current one" });

    const error = await failure(changeOwnPassword(user.id, "a wrong guess", "the brand new one"));

    expect(error.code).toBe("validation_failed");
    expect(error.details).toEqual({ issues: [{ path: "currentPassword", message: "is not correct" }] });
    const stored = await storedUser("change2@example.com");
    expect(stored.sessionVersion).toBe(1);
    expect(await verifyPassword("the current one", stored.passwordHash!)).toBe(true);
  });

  it("refuses a new password that is too short", async () => {
    const { user } = await createUser({ email: "change3@example.com", password: "the current one" });
    const error = await failure(changeOwnPassword(user.id, "the current one", "short"));
    expect(error.code).toBe("validation_failed");
    expect(await verifyPassword("the current one", (await storedUser("change3@example.com")).passwordHash!)).toBe(true);
  });
});

describe("setUserDisabled", () => {
  it("disables and re-enables a member, ending their sessions each time", async () => {
    const { password } = await createUser({ email: "member@example.com" });

    const disabled = await setUserDisabled("member@example.com", true);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(disabled.sessionVersion).toBe(2);
    expect((await failure(signInWithPassword("member@example.com", password, "127.0.0.3"))).status).toBe(403);

    const enabled = await setUserDisabled("member@example.com", false);
    expect(enabled.disabledAt).toBeNull();
    expect(enabled.sessionVersion).toBe(3);
    expect((await signInWithPassword("member@example.com", password, "127.0.0.3")).email).toBe("member@example.com");
  });
});

describe("owners", () => {
  it("ensureOwner creates the owner on an empty install, exactly once", async () => {
    await getDb().user.deleteMany();

    const first = await ensureOwner("Owner@Example.com");
    expect(first).toEqual({ created: true, email: "owner@example.com", password: expect.any(String) });
    const owner = await storedUser("owner@example.com");
    expect(owner.role).toBe("owner");
    if (first.created) expect(await verifyPassword(first.password, owner.passwordHash!)).toBe(true);

    expect(await ensureOwner("owner@example.com")).toEqual({ created: false });
    expect(await ensureOwner("someone-else@example.com")).toEqual({ created: false });
    expect(await getDb().user.count()).toBe(1);
  });

  it("ensureOwner creates one owner when two start-ups race", async () => {
    await getDb().user.deleteMany();
    await disconnectDb();

    const results = await Promise.all([ensureOwner("owner@example.com"), ensureOwner("owner@example.com")]);

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await getDb().user.count()).toBe(1);
  });

  it("ensureOwner creates one owner when two start-ups race with different emails", async () => {
    await getDb().user.deleteMany();

    await disconnectDb();
    const results = await Promise.all([ensureOwner("first@example.com"), ensureOwner("second@example.com")]);

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await getDb().user.count()).toBe(1);
  });

  it("will not disable the last active owner, but will once another owner exists", async () => {
    await getDb().user.deleteMany();
    await ensureOwner("boss@example.com");

    const error = await failure(setUserDisabled("boss@example.com", true));
    expect(error.code).toBe("conflict");
    expect(error.status).toBe(409);
    expect((await storedUser("boss@example.com")).disabledAt).toBeNull();

    await createUser({ email: "deputy@example.com", role: "owner" });
    expect((await setUserDisabled("boss@example.com", true)).disabledAt).toBeInstanceOf(Date);

    // Now the deputy is the last active owner.
    expect((await failure(setUserDisabled("deputy@example.com", true))).code).toBe("conflict");
    expect((await listAllUsers()).map((u) => [u.email, u.disabledAt === null])).toEqual([
      ["boss@example.com", false],
      ["deputy@example.com", true],
    ]);
  });

  it("changes a role, but keeps the last active owner an owner", async () => {
    await getDb().user.deleteMany();
    await ensureOwner("only@example.com");
    expect((await failure(setUserRole("only@example.com", "admin"))).code).toBe("conflict");
    await createUser({ email: "helper@example.com" });
    expect((await setUserRole("helper@example.com", "owner")).role).toBe("owner");
    expect((await setUserRole("only@example.com", "viewer")).role).toBe("viewer");
    expect((await failure(setUserRole("helper@example.com", "boss" as "owner"))).code).toBe("validation_failed");
  });

  it("will not let two owners disable each other at the same moment", async () => {
    await getDb().user.deleteMany();
    await createUser({ email: "one@example.com", role: "owner" });
    await createUser({ email: "two@example.com", role: "owner" });

    await Promise.allSettled([setUserDisabled("one@example.com", true), setUserDisabled("two@example.com", true)]);

    expect(await getDb().user.count({ where: { role: "owner", disabledAt: null } })).toBe(1);
  });
});
