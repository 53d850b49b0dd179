import { handle } from "@/lib/http/handler";
import { authorizeScrape, renderMetrics } from "@/lib/observability/scrape";

export const dynamic = "force-dynamic";

// Prometheus scrape endpoint (see "Monitoring" in the README).
export const GET = handle({ auth: "public" }, async ({ req }) => {
  authorizeScrape(req.headers.get("authorization"));
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
