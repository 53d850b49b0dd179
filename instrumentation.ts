// Runs once when a Next.js server process starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  // First, so no request goes by without its peer address (per-IP limits, the audit).
  const { recordPeerAddresses } = await import("@/lib/http/peer-address");
  recordPeerAddresses();
  const { getConfig } = await import("@/lib/config");
  const config = getConfig(); // fail fast, naming the bad variable
  // Tracing first: the database pool created below traces its statements only if it is already on.
  const { startTracing } = await import("@/lib/observability/tracing");
  const ownTracing = await startTracing();
  const { initServerSentry } = await import("@/lib/observability/sentry");
  initServerSentry({ ownTracing });
  // API routes answered by their handlers without Next.js's router (lib/http/direct-dispatch.ts);
  // with DIRECT_API=off none are, but over-long request targets are still refused there.
  const [{ directRoutes, installDirectDispatch }, { API_ROUTES }] = await Promise.all([
    import("@/lib/http/direct-dispatch"),
    import("@/app/api/openapi.json/routes.generated"),
  ]);
  installDirectDispatch(config.DIRECT_API ? directRoutes(API_ROUTES) : { routes: [] });
  const { startBackgroundServices } = await import("@/lib/startup");
  const { getLogger } = await import("@/lib/logger");
  await startBackgroundServices().catch((err) => getLogger().error({ err }, "background services failed to start"));
  const { startBackgroundDriver } = await import("@/inngest/dispatch");
  await startBackgroundDriver().catch((err) => getLogger().error({ err }, "background driver failed to start"));
}

export { captureRequestError as onRequestError } from "@sentry/nextjs";
