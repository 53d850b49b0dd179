import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { getLogger } from "@/lib/logger";
import packageJson from "@/package.json";

export type Health = {
  status: "ok" | "degraded";
  database: { status: "up" | "down"; latencyMs?: number; version?: string; embedded: boolean; error?: string };
  uptimeSeconds: number;
  version: string;
};

const VERSION = packageJson.version;

export async function checkHealth(): Promise<Health> {
  const embedded = getConfig().embeddedDatabase;
  const started = performance.now();
  try {
    const rows = await getDb().$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
    return {
      status: "ok",
      database: { status: "up", latencyMs: Math.round(performance.now() - started), version: rows[0]?.version, embedded },
      uptimeSeconds: Math.round(process.uptime()),
      version: VERSION,
    };
  } catch (error) {
    // The reason goes to the operator's log; the public answer only says the database is down.
    getLogger({ component: "health" }).error({ err: error }, "database health check failed");
    return {
      status: "degraded",
      database: { status: "down", embedded, error: "The database cannot be reached" },
      uptimeSeconds: Math.round(process.uptime()),
      version: VERSION,
    };
  }
}
