import { hashSecret, secretMatchesHash } from "@/lib/agents/credentials";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { collectDatabaseGauges } from "@/lib/observability/db-gauges";
import { metrics } from "@/lib/observability/metrics";

// GET /api/metrics: off (404) unless METRICS_TOKEN is set, then only for `Authorization: Bearer
// <token>`, compared in constant time (both sides hashed first, so lengths do not leak either).

export function authorizeScrape(authorization: string | null): void {
  const token = getConfig().METRICS_TOKEN;
  if (!token) throw new AppError("not_found", "Metrics are off; set METRICS_TOKEN to turn them on");
  const given = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "")?.[1] ?? "";
  if (!given || !secretMatchesHash(given, hashSecret(token))) throw new AppError("unauthorized", "Send the metrics token as `Authorization: Bearer <token>`");
}

/** The exposition text and its content type, with the database gauges read just now. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  await collectDatabaseGauges();
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
