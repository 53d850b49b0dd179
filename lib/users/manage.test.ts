import { describe, expect, it } from "vitest";
import { addUser, changeUserDisabled, changeUserRole, listUsersFor } from "@/lib/users/manage";
import { createUser } from "@/lib/users/service";
import { failure } from "@/tests/setup/app-error";

// People managing people from Settings: who may, and the owner rules. Each test uses its own emails.

async function person(email: string, role: "owner" | "admin" | "member" | "viewer") {
  return (await createUser({ email, role })).user;
}

describe("managing people", () => {
  it("lets an owner add anyone and change any role, with the password shown once", async () => {
    const owner = await person("boss@manage.example", "owner");
    const added = await addUser(owner, { email: "Deputy@Manage.example", role: "admin" });
    expect(added.user).toMatchObject({ email: "deputy@manage.example", role: "admin" });
    expect(added.password.length).toBeGreaterThanOrEqual(16);
    expect((await changeUserRole(owner, "deputy@manage.example", "owner")).role).toBe("owner");
    expect((await listUsersFor(owner)).map((u) => u.email)).toContain("deputy@manage.example");
  });

  it("lets an admin manage members and viewers but never an owner, nor make one", async () => {
    const owner = await person("owner2@manage.example", "owner");
    const admin = await person("admin2@manage.example", "admin");
    await person("member2@manage.example", "member");
    expect((await changeUserRole(admin, "member2@manage.example", "viewer")).role).toBe("viewer");
    expect((await changeUserDisabled(admin, "member2@manage.example", true)).disabledAt).not.toBeNull();

    expect((await failure(changeUserRole(admin, owner.email, "member"))).code).toBe("forbidden");
    expect((await failure(changeUserDisabled(admin, owner.email, true))).code).toBe("forbidden");
    expect((await failure(changeUserRole(admin, "member2@manage.example", "owner"))).code).toBe("forbidden");
    expect((await failure(addUser(admin, { email: "new-owner@manage.example", role: "owner" }))).code).toBe("forbidden");
  });

  it("refuses members and viewers, and nobody disables themselves or demotes the last owner", async () => {
    const member = await person("member3@manage.example", "member");
    const viewer = await person("viewer3@manage.example", "viewer");
    for (const who of [member, viewer]) {
      const refused = await failure(addUser(who, { email: `by-${who.role}@manage.example`, role: "member" }));
      expect(refused.code).toBe("forbidden");
      expect(refused.message).toMatch(/users\.manage/);
      expect((await failure(listUsersFor(who))).code).toBe("forbidden");
    }
    const admin = await person("admin3@manage.example", "admin");
    expect((await failure(changeUserDisabled(admin, admin.email, true))).code).toBe("conflict");
    expect((await failure(changeUserRole(admin, "nobody@manage.example", "member"))).code).toBe("not_found");
  });
});
