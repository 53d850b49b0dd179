import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { autocommit } from "@/lib/db/transaction";
import { findCredentialsByEmail, findUserByEmail } from "@/lib/users/repository";
import { cli, printedPassword } from "./run-cli";

const DEMO_NETWORK = { OR: [{ ip: { startsWith: "198.51.100." } }, { ip: { startsWith: "203.0.113." } }] };
const localMigrations = readdirSync(path.resolve("prisma/migrations"), { withFileTypes: true }).filter((e) => e.isDirectory()).length;

describe("pa db", () => {
  it("status names the database, shows it is reachable and counts applied migrations", async () => {
    const run = await cli(["db", "status"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Database:\s+external \(DATABASE_URL\) postgresql:\/\/[^:@]+@127\.0\.0\.1:\d+\/pa_test_/m);
    expect(run.out).not.toMatch(/postgresql:\/\/[^@\s]+:[^@\s]+@/); // no password
    expect(run.out).toMatch(/^Reachable:\s+yes \(PostgreSQL \d+/m);
    expect(run.out).toContain(`Migrations:  ${localMigrations} applied, 0 pending`);
  });

  it("status exits 1 when the database cannot be reached", async () => {
    const run = await cli(["db", "status"], {
      database: {
        connect: async () => ({ url: "postgresql://nobody@127.0.0.1:1/nothing", kind: "external", startedHere: false }),
        close: async () => {},
      },
    });
    expect(run.code).toBe(1);
    expect(run.out).toContain("Reachable:   no");
    expect(run.err).toMatch(/^error: Cannot reach the database: /);
  });

  it("migrate reports an up-to-date database", async () => {
    const run = await cli(["db", "migrate"]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`The database is up to date (${localMigrations} migration${localMigrations === 1 ? "" : "s"} applied).`);
  });

  it("seed creates demo users and a week of sign-in attempts; a second run needs --force", async () => {
    const started = Date.now();
    const run = await cli(["db", "seed"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Seeded demo data.");
    expect(run.out).toContain("These passwords will not be shown again.");
    const password = printedPassword(run.out);

    const db = autocommit();
    const member = await findUserByEmail(db, "demo@example.com");
    expect(member).toMatchObject({ role: "member", disabledAt: null });
    expect(member!.lastSignInAt).toBeInstanceOf(Date);
    const disabled = await findUserByEmail(db, "demo-disabled@example.com");
    expect(disabled!.disabledAt).toBeInstanceOf(Date);

    const attempts = await db.signInAttempt.findMany({ where: DEMO_NETWORK });
    expect(attempts.length).toBeGreaterThanOrEqual(35);
    expect(attempts.length).toBeLessThanOrEqual(45);
    const weekAgo = started - 7 * 24 * 3600_000;
    expect(attempts.every((a) => a.createdAt.getTime() >= weekAgo && a.createdAt.getTime() <= Date.now())).toBe(true);
    const reasons = new Set(attempts.map((a) => a.reason));
    for (const reason of [null, "bad_credentials", "rate_limited", "disabled"]) expect(reasons).toContain(reason);
    expect(attempts.filter((a) => a.reason === "rate_limited").length).toBeGreaterThanOrEqual(3);
    // The dashboard's 24-hour counters have something to show.
    const dayAgo = Date.now() - 24 * 3600_000;
    expect(attempts.some((a) => a.success && a.createdAt.getTime() > dayAgo)).toBe(true);
    expect(attempts.some((a) => !a.success && a.createdAt.getTime() > dayAgo)).toBe(true);
    // Accounts exist before their first recorded sign-in.
    const earliest = Math.min(...attempts.filter((a) => a.userId).map((a) => a.createdAt.getTime()));
    expect(member!.createdAt.getTime()).toBeLessThan(earliest);
    expect(disabled!.createdAt.getTime()).toBeLessThan(earliest);
    // The member's own activity list is populated.
    expect(attempts.filter((a) => a.userId === member!.id).length).toBeGreaterThan(10);

    // The chat page has the default areas and the member's demo conversations, each with a turn.
    expect(await db.assistantArea.count()).toBeGreaterThanOrEqual(4);
    const conversations = await db.conversation.findMany({ where: { userId: member!.id }, include: { messages: true, turns: true } });
    expect(conversations).toHaveLength(3);
    expect(conversations.every((c) => c.messages.length === 2 && c.turns.length === 1 && c.turns[0]!.assistantMessageId)).toBe(true);

    // The printed password works, and the seeded failures do not lock the demo account out.
    await expect(signInWithPassword("demo@example.com", password, "127.0.0.1")).resolves.toMatchObject({ email: "demo@example.com" });

    const again = await cli(["db", "seed"]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("Demo data already exists");
    expect(again.err).toContain("db seed --force");
    expect(await db.signInAttempt.count({ where: DEMO_NETWORK })).toBe(attempts.length);
  });

  it("seed --force replaces the demo data instead of duplicating it", async () => {
    const before = await findCredentialsByEmail(autocommit(), "demo@example.com");
    const count = await autocommit().signInAttempt.count({ where: DEMO_NETWORK });

    const run = await cli(["db", "seed", "--force"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Replaced the demo data.");
    const password = printedPassword(run.out);

    const after = await findCredentialsByEmail(autocommit(), "demo@example.com");
    expect(after!.id).toBe(before!.id);
    expect(after!.sessionVersion).toBe(before!.sessionVersion + 1);
    expect(await verifyPassword(password, after!.passwordHash!)).toBe(true);
    expect(await autocommit().signInAttempt.count({ where: DEMO_NETWORK })).toBe(count);
    expect(await autocommit().user.count({ where: { email: { in: ["demo@example.com", "demo-disabled@example.com"] } } })).toBe(2);
    expect((await findUserByEmail(autocommit(), "demo-disabled@example.com"))!.disabledAt).toBeInstanceOf(Date);
  });
});
