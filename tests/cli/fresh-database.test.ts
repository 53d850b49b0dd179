import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { adminQuery, databaseUrl } from "../setup/database";
import { cli } from "./run-cli";

// A database with no tables at all, as on a fresh install before anything migrated it.
const { adminUrl, runId } = inject("testDatabase");
const name = `pa_test_${runId}_empty_${Math.random().toString(36).slice(2, 8)}`;
const migratedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  process.env.DATABASE_URL = databaseUrl(adminUrl, name);
  resetConfigForTests();
});

afterAll(async () => {
  await disconnectDb();
  process.env.DATABASE_URL = migratedUrl;
  resetConfigForTests();
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe("pa on an unmigrated database", () => {
  it("explains that migrations are missing instead of showing Prisma's error", async () => {
    const run = await cli(["users", "list"]);
    expect(run.code).toBe(1);
    expect(run.err).toBe("error: The database has no tables yet. Apply the migrations with `npm run cli -- db migrate`.");
  });

  it("status lists every migration as pending, and migrate applies them", async () => {
    const before = await cli(["db", "status"]);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/^Migrations:\s+0 applied, (\d+) pending \(\1 in prisma\/migrations\)$/m);
    expect(before.out).toContain("  pending: ");

    const migrate = await cli(["db", "migrate"]);
    expect(migrate.code).toBe(0);
    expect(migrate.out).toMatch(/^Applied \d+ migrations?; \d+ applied in total\.$/);

    const after = await cli(["db", "status"]);
    expect(after.out).toMatch(/^Migrations:\s+(\d+) applied, 0 pending \(\1 in prisma\/migrations\)$/m);
    expect((await cli(["users", "list"])).out).toBe("No users yet. Create one with `npm run cli -- users create <email>`.");
  }, 90_000); // four CLI processes, each starting tsx
});
