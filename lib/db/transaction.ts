import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { processGlobal } from "@/lib/process-global";

// Repositories take the transaction they run in and never commit on their own; a service call
// opens exactly one transaction with withTransaction and passes it down.

export type Tx = Prisma.TransactionClient;

export type TransactionOptions = {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeoutMs?: number;
};

// What runs once a transaction has committed (see afterCommit), by its Tx; process-wide, as the
// client is (lib/process-global.ts).
const commitHooks = processGlobal("commit-hooks", () => new WeakMap<Tx, (() => void)[]>());

export async function withTransaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await getDb().$transaction(
    (tx) => {
      commitHooks.set(tx, hooks);
      return fn(tx);
    },
    { isolationLevel: options.isolationLevel, timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 },
  );
  for (const hook of hooks) hook();
  return result;
}

/**
 * Runs `hook` once `tx` has committed, or at once in autocommit (the statement before it has). A
 * transaction that rolls back runs none.
 */
export function afterCommit(tx: Tx, hook: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(hook);
  else hook();
}

/**
 * For reads and single-statement writes, where each statement is its own transaction: the same
 * Tx-shaped client, without the extra round trips of an interactive transaction.
 */
export function autocommit(): Tx {
  return getDb();
}
