import { describe, expect, it } from "vitest";
import { ownedAccountsWhere, ownsAccount } from "./mailbox-access";

// Whose mailbox is whose, without a database: the rule every triage query applies.

describe("mailbox ownership", () => {
  const alice = { id: "usr_alice", role: "member" as const };
  const owner = { id: "usr_owner", role: "owner" as const };
  const admin = { id: "usr_admin", role: "admin" as const };

  it("gives a mailbox to the person who connected it, whatever the others' roles", () => {
    expect(ownsAccount(alice, { createdBy: "usr_alice" })).toBe(true);
    expect(ownsAccount(owner, { createdBy: "usr_alice" })).toBe(false);
    expect(ownsAccount(admin, { createdBy: "usr_alice" })).toBe(false);
  });

  it("gives a mailbox connected before ownership was recorded to the owners only", () => {
    expect(ownsAccount(owner, { createdBy: null })).toBe(true);
    expect(ownsAccount(admin, { createdBy: null })).toBe(false);
    expect(ownsAccount(alice, { createdBy: null })).toBe(false);
    expect(ownedAccountsWhere(owner)).toEqual({ OR: [{ createdBy: "usr_owner" }, { createdBy: null }] });
    expect(ownedAccountsWhere(admin)).toEqual({ createdBy: "usr_admin" });
  });

  it("lets background work and the CLI reach every mailbox", () => {
    expect(ownsAccount("operator", { createdBy: "usr_alice" })).toBe(true);
    expect(ownedAccountsWhere("operator")).toEqual({});
  });
});
