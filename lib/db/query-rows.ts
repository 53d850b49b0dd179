import { createHash } from "node:crypto";
import pg from "pg";
import type { Prisma } from "@/generated/prisma/client";
import { getPool, isAutocommit } from "@/lib/db/client";
import { SqlTransaction, type SqlTx } from "@/lib/db/sql-transaction";

// The hot paths (a job's create, claim, heartbeat, complete and fail; a run's start and end) are
// one statement per call, and at those rates Prisma's query handling (≈0.2 ms of CPU for raw SQL,
// more to compile a model query) and PostgreSQL parsing and planning an unnamed statement every
// time cost more than the work itself. Run on its own (autocommit), such a
// statement goes to the pool directly as a named prepared statement: each connection parses it once.
// In a SqlTransaction it is the same on that transaction's connection. Inside a Prisma interactive
// transaction it stays on that transaction, through Prisma.

// timestamp(3) columns hold UTC; pg would read them as local time. Prisma reads them as UTC too.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.TIMESTAMP, (value: string) => new Date(`${value.replace(" ", "T")}Z`));

/** A stable name per SQL text. Only for fixed statements: each name stays prepared on every connection. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `pa_${createHash("sha1").update(text).digest("base64url").slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs one statement and returns its rows, with the same values Prisma's $queryRaw gives (Date for
 * timestamps, parsed JSON, numbers): columns must be aliased to the camelCase names callers expect.
 */
export async function queryRows<T extends pg.QueryResultRow>(tx: SqlTx, sql: Prisma.Sql): Promise<T[]> {
  const on = tx instanceof SqlTransaction ? tx.client : isAutocommit(tx) ? getPool() : null;
  if (!on) return (tx as Exclude<SqlTx, SqlTransaction>).$queryRaw<T[]>(sql);
  const { text, values } = sql;
  const result = await on.query<T>({ name: statementName(text), text, values, types });
  return result.rows;
}
