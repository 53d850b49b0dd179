import path from "node:path";
import { getConfig } from "@/lib/config";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";

export const EMBEDDED_DATABASE_NAME = "automations";

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
  const embedded = await startEmbeddedDatabase({
    dir: path.join(config.dataDir, "postgres"),
    port: config.EMBEDDED_PG_PORT,
    database: EMBEDDED_DATABASE_NAME,
    log,
  });
  process.env.DATABASE_URL = embedded.url;
  process.env.PA_EMBEDDED_DATABASE = "1";
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
