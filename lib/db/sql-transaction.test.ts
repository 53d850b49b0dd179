import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { getPool } from "@/lib/db/client";
import { queryRows } from "@/lib/db/query-rows";
import { withSqlTransaction } from "@/lib/db/sql-transaction";
import { autocommit } from "@/lib/db/transaction";

// A transaction on a pool connection (a transactional pipeline's run): all of it or nothing, and
// the connection goes back to the pool fit for the next caller whatever happened.

const rowsFor = async (hostname: string) =>
  (await queryRows<{ n: number }>(autocommit(), Prisma.sql`SELECT count(*)::int AS n FROM app_instances WHERE hostname = ${hostname}`))[0]!.n;

const insert = (hostname: string) => Prisma.sql`
  INSERT INTO app_instances (id, hostname, pid, started_at, heartbeat_at) VALUES (${`ins_${hostname}`}, ${hostname}, 1, now(), now())`;

describe("withSqlTransaction", () => {
  it("commits what it did when the function returns, and its statements see each other", async () => {
    const seen = await withSqlTransaction(async (tx) => {
      expect(await tx.$executeRaw(insert("sqltx-commit"))).toBe(1);
      return (await queryRows<{ n: number }>(tx, Prisma.sql`SELECT count(*)::int AS n FROM app_instances WHERE hostname = ${"sqltx-commit"}`))[0]!.n;
    }, { timeoutMs: 5_000 });
    expect(seen).toBe(1);
    expect(await rowsFor("sqltx-commit")).toBe(1);
  });

  it("rolls everything back when the function throws, and rethrows", async () => {
    await expect(
      withSqlTransaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO app_instances (id, hostname, pid, started_at, heartbeat_at) VALUES ('ins_sqltx-throw', 'sqltx-throw', 1, now(), now())`;
        throw new Error("changed my mind");
      }, { timeoutMs: 5_000 }),
    ).rejects.toThrow("changed my mind");
    expect(await rowsFor("sqltx-throw")).toBe(0);
  });

  it("stops a statement that runs past the timeout, rolls back, and leaves the pool usable", async () => {
    const started = Date.now();
    await expect(
      withSqlTransaction(async (tx) => {
        await tx.$executeRaw(insert("sqltx-slow"));
        await tx.$executeRaw`SELECT pg_sleep(5)`;
      }, { timeoutMs: 300 }),
    ).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await rowsFor("sqltx-slow")).toBe(0);
    // Every connection of the pool still answers outside any transaction.
    const pool = getPool();
    const states = await Promise.all(Array.from({ length: pool.options.max ?? 10 }, () => pool.query<{ open: boolean }>("SELECT now() <> statement_timestamp() AS open")));
    expect(states.every((s) => s.rows[0]!.open === false)).toBe(true);
  });
});
