import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";

// Repositories take the transaction they run in and never commit on their own; a service call
// opens exactly one transaction with withTransaction and passes it down.

export type Tx = Prisma.TransactionClient;

export type TransactionOptions = {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeoutMs?: number;
};

export function withTransaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return getDb().$transaction(fn, {
    isolationLevel: options.isolationLevel,
    timeout: options.timeoutMs ?? 15_000,
    maxWait: 10_000,
  });
}

/**
 * For reads and single-statement writes, where each statement is its own transaction: the same
 * Tx-shaped client, without the extra round trips of an interactive transaction.
 */
export function autocommit(): Tx {
  return getDb();
}
