import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
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
    return {
      status: "degraded",
      database: { status: "down", embedded, error: error instanceof Error ? error.message.split("\n")[0] : "unreachable" },
      uptimeSeconds: Math.round(process.uptime()),
      version: VERSION,
    };
  }
}
