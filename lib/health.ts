import { getConfig } from "@/lib/config";
import { Prisma } from "@/generated/prisma/client";
import { queryRows } from "@/lib/db/query-rows";
import { autocommit } from "@/lib/db/transaction";
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
    // Straight to the pool as a prepared statement: load balancers and monitors call this often.
    const rows = await queryRows<{ version: string }>(autocommit(), Prisma.sql`SELECT current_setting('server_version') AS version`);
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
