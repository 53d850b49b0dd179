import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { requireDatabaseUrl } from "@/lib/config";
import { getLogger } from "@/lib/logger";
import { tracePool } from "@/lib/observability/trace-pg";

// The one Prisma client, and the pg pool under it (a few hot statements run on the pool directly,
// see isAutocommit). Created on first use (so `next build` never needs a database) and kept on
// globalThis so hot reloads in development do not open a new pool each time.

type Db = { client: PrismaClient; pool: pg.Pool };

const globalForDb = globalThis as unknown as { __paDb?: Db };

function createDb(): Db {
  const pool = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 10 });
  // An idle connection the server dropped must not crash the process; the next query gets a new one.
  pool.on("error", (error) => getLogger().warn({ err: error }, "idle database connection lost"));
  tracePool(pool);
  // The adapter runs on this same pg module (it checks `instanceof pg.Pool`); only its bundled
  // @types/pg is newer than ours, hence the cast.
  const adapter = new PrismaPg(pool as unknown as ConstructorParameters<typeof PrismaPg>[0]);
  return { client: new PrismaClient({ adapter }), pool };
}

function db(): Db {
  globalForDb.__paDb ??= createDb();
  return globalForDb.__paDb;
}

export function getDb(): PrismaClient {
  return db().client;
}

/** The pool the Prisma client runs on, for statements that skip Prisma (see isAutocommit). */
export function getPool(): pg.Pool {
  return db().pool;
}

/**
 * Whether `tx` is the plain client (what `autocommit()` hands out) rather than an interactive
 * transaction: only then may a statement run on any pool connection, as its own transaction.
 */
export function isAutocommit(tx: unknown): boolean {
  return globalForDb.__paDb !== undefined && tx === globalForDb.__paDb.client;
}

export async function disconnectDb(): Promise<void> {
  const current = globalForDb.__paDb;
  globalForDb.__paDb = undefined;
  if (!current) return;
  // The adapter leaves a pool it was given open; it is ours to end.
  await current.client.$disconnect();
  await current.pool.end();
}
