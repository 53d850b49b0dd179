import { handle, REQUEST_ID_HEADER } from "@/lib/http/handler";
import { authorizeScrape, renderMetrics } from "@/lib/observability/scrape";
import { ref } from "@/lib/openapi/operations";

export const dynamic = "force-dynamic";

// Prometheus scrape endpoint (see "Monitoring" in the README).
export const GET = handle({
  auth: "public",
  // Polled by monitors (a Docker health check, Prometheus): counted, never traced.
  traced: false,
  openapi: {
    operationId: "getMetrics",
    summary: "Prometheus metrics (needs METRICS_TOKEN)",
    description:
      "The Prometheus text exposition format. Off (404) unless METRICS_TOKEN is set; then only with " +
      "`Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). Not an agent or session token.",
    tags: ["system"],
    responses: {
      "200": {
        description: "Every series (text/plain; version=0.0.4)",
        headers: { [REQUEST_ID_HEADER]: ref("headers", "RequestId") },
        content: { "text/plain": { schema: { type: "string" } } },
      },
      "401": "Unauthorized",
      "404": "NotFound",
    },
  },
}, async ({ req }) => {
  authorizeScrape(req.headers.get("authorization"));
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
