import type pg from "pg";
import { Prisma } from "@/generated/prisma/client";
import { getPool } from "@/lib/db/client";
import type { Tx } from "@/lib/db/transaction";

// A transaction on one pool connection, without Prisma: for work whose every statement is SQL we
// wrote (queryRows, $executeRaw), where Prisma's interactive transaction costs more than the work.
// A transactional pipeline's run is one: its effects and its outcome, about 1 ms in all (see the
// runner). Model queries (tx.agentJob.findMany) are not available in it; write the statement.

export class SqlTransaction {
  constructor(readonly client: pg.PoolClient) {}

  /** Runs a statement (a tagged template or Prisma.sql, as on Prisma's client); the number of rows it touched. */
  async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number> {
    const sql = Array.isArray(query) ? Prisma.sql(query as TemplateStringsArray, ...values) : (query as Prisma.Sql);
    const result = await this.client.query(sql.text, sql.values);
    return result.rowCount ?? 0;
  }
}

/** Where statements written in SQL may run: a Prisma transaction (or autocommit()) or a SqlTransaction. */
export type SqlTx = Tx | SqlTransaction;

export type SqlTransactionOptions = {
  /** The longest any one statement, or waiting between two, may take; then the transaction is rolled back. */
  timeoutMs: number;
};

/**
 * Runs `fn` in one transaction on a pool connection: committed when it returns, rolled back when
 * it throws. A connection whose rollback failed is closed, not given back to the pool.
 */
export async function withSqlTransaction<T>(fn: (tx: SqlTransaction) => Promise<T>, options: SqlTransactionOptions): Promise<T> {
  const client = await getPool().connect();
  const timeout = Math.max(1, Math.round(options.timeoutMs));
  let broken: Error | undefined;
  try {
    // One round trip: a simple query may hold several statements.
    await client.query(`BEGIN; SET LOCAL statement_timeout = ${timeout}; SET LOCAL idle_in_transaction_session_timeout = ${timeout}`);
    const result = await fn(new SqlTransaction(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
