import { readFileSync } from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { isAlive } from "./instance-lock";

export const EMBEDDED_DATABASE_NAME = "automations";

export type RunningCluster = { pid: number; port: number };

/**
 * The embedded cluster already running from this data folder, read from PostgreSQL's own lock file
 * (postmaster.pid: pid on line 1, port on line 4). This is how the CLI finds the app's database even
 * when it runs on another port than the configured one, or another server holds the default port.
 */
export function runningCluster(dir: string): RunningCluster | null {
  let text: string;
  try {
    text = readFileSync(path.join(dir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return isAlive(pid) ? { pid, port } : null;
}

/**
 * The database the app, CLI and scripts use: DATABASE_URL when set, otherwise the embedded cluster
 * under DATA_DIR/postgres (started here, or reused when `npm start` already runs it).
 */
export async function ensureDatabase(log: (line: string) => void = () => {}): Promise<{
  url: string;
  embedded: EmbeddedDatabase | null;
}> {
  const config = getConfig();
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const dir = path.join(config.dataDir, "postgres");
  const running = runningCluster(dir);
  if (running && running.port !== config.EMBEDDED_PG_PORT) {
    log(`The embedded PostgreSQL of ${config.dataDir} is already running on port ${running.port} (pid ${running.pid}); using it.`);
  }
  const embedded = await startEmbeddedDatabase({
    dir,
    port: running?.port ?? config.EMBEDDED_PG_PORT,
    database: EMBEDDED_DATABASE_NAME,
    log,
  });
  process.env.DATABASE_URL = embedded.url;
  process.env.PA_EMBEDDED_DATABASE = "1";
  process.env.PA_EMBEDDED_DATA_DIR = dir;
  return { url: embedded.url, embedded };
}

/** Loads .env (when present) the way Next.js does, so scripts see the same configuration. */
export function loadDotEnv(): void {
  for (const file of [".env.local", ".env"]) {
    try {
      process.loadEnvFile(path.resolve(file));
    } catch {
      // absent: fine
    }
  }
}
