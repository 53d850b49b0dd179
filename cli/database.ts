import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { getConfig, resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import type { EmbeddedDatabase } from "@/lib/db/embedded";
import { AppError } from "@/lib/errors";
import { ensureDatabase, EMBEDDED_DATABASE_NAME } from "@/scripts/lib/database";

// The CLI's database: opened on first use, so `--help` and argument errors never need one.
// DATABASE_URL when set, otherwise the embedded cluster (reused when `npm start` runs it).

export type ConnectedDatabase = {
  url: string;
  kind: "embedded" | "external";
  /** True when this process started the embedded cluster and will stop it on close. */
  startedHere: boolean;
};

export type DatabaseConnector = {
  connect(log?: (line: string) => void): Promise<ConnectedDatabase>;
  /** Closes the Prisma pool and stops an embedded cluster this process started. */
  close(): Promise<void>;
};

export function createDatabaseConnector(): DatabaseConnector {
  let opened: Promise<{ url: string; embedded: EmbeddedDatabase | null }> | undefined;
  return {
    async connect(log = () => {}) {
      const { dataDir, EMBEDDED_PG_PORT, DATABASE_URL } = getConfig();
      const target = (url: string | null): FailedTarget => ({ embedded: !DATABASE_URL, url, dataDir, port: EMBEDDED_PG_PORT });
      opened ??= ensureDatabase(log).then(
        async (database) => {
          // ensureDatabase exported DATABASE_URL for the embedded cluster; re-read the configuration.
          resetConfigForTests();
          await probe(database.url).catch((error: unknown) => {
            throw explainConnectionFailure(error, target(database.url));
          });
          return database;
        },
        (error: unknown) => {
          throw explainConnectionFailure(error, target(getConfig().DATABASE_URL ?? null));
        },
      );
      const { url, embedded } = await opened;
      return { url, kind: embedded ? "embedded" : "external", startedHere: embedded?.owned ?? false };
    },
    async close() {
      await disconnectDb();
      const database = await opened?.catch(() => undefined);
      if (database?.embedded?.owned) await database.embedded.stop();
    },
  };
}

/** One round trip with a short timeout, so a wrong server is reported here, with what was tried. */
async function probe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A failed connection, reworded: which server was tried, and what to do about it. */
type FailedTarget = { embedded: boolean; url: string | null; dataDir: string; port: number };

export function explainConnectionFailure(error: unknown, target: FailedTarget): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const { embedded, dataDir } = target;
  const tried = target.url ? describeUrl(target.url) : `postgresql://postgres@127.0.0.1:${target.port}/${EMBEDDED_DATABASE_NAME}`;
  const port = target.url ? new URL(target.url).port || "5432" : String(target.port);
  const where = embedded ? `the embedded PostgreSQL (data in ${dataDir}/postgres) at ${tried}` : `${tried} (DATABASE_URL)`;
  if (code === "28P01" || code === "28000") {
    return new AppError(
      "unavailable",
      `The database server refused the password: tried ${where}. ` +
        (embedded
          ? `Another PostgreSQL is probably listening on port ${port}. Stop it, or set EMBEDDED_PG_PORT to a free port in .env (npm start and the CLI both read it), or set DATABASE_URL to use that server.`
          : "Check the user and password in DATABASE_URL."),
    );
  }
  if (code === "ECONNREFUSED" || code === "ETIMEDOUT" || code === "ENOTFOUND" || code === "3D000") {
    return new AppError(
      "unavailable",
      `Cannot reach the database (${String(code)}): tried ${where}. ` +
        (embedded ? "Start the app with `npm start` (or run this command again to start the database)." : "Is the server running, and is DATABASE_URL right?"),
    );
  }
  return error;
}

/** `postgresql://user@host:port/db`, without the password, for printing. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export type DatabaseStatus = {
  database: string;
  serverVersion: string;
  /** Migrations prisma finished and did not roll back, in the order they ran. */
  applied: string[];
  /** Migrations that started but did not finish; `prisma migrate deploy` refuses to continue past them. */
  failed: string[];
};

/** Connects with a short timeout (an unreachable server should not hang `db status`). */
export async function readDatabaseStatus(url: string): Promise<DatabaseStatus> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const info = await client.query<{ database: string; version: string; tracked: boolean }>(
      `SELECT current_database() AS database, current_setting('server_version') AS version,
              to_regclass('_prisma_migrations') IS NOT NULL AS tracked`,
    );
    const row = info.rows[0];
    const migrations = row?.tracked
      ? (
          await client.query<{ name: string; finished: boolean; rolled_back: boolean }>(
            `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
               FROM _prisma_migrations ORDER BY started_at`,
          )
        ).rows
      : [];
    return {
      database: row?.database ?? "?",
      serverVersion: row?.version ?? "?",
      applied: migrations.filter((m) => m.finished && !m.rolled_back).map((m) => m.name),
      failed: migrations.filter((m) => !m.finished && !m.rolled_back).map((m) => m.name),
    };
  } finally {
    await client.end();
  }
}

const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

/** The migrations shipped with this checkout (folders under prisma/migrations). */
export async function listLocalMigrations(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
