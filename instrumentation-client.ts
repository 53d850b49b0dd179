import * as Sentry from "@sentry/nextjs";
import { config as configureZod } from "zod";

// zod compiles object parsers with Function() when eval is allowed and probes for it first; the
// pages' CSP forbids eval, so the probe only produced a violation report. Parse without it.
configureZod({ jitless: true });

// The browser reports errors only when NEXT_PUBLIC_SENTRY_DSN was set at build time.
const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
if (dsn) Sentry.init({ dsn, tracesSampleRate: 0 });

export const onRouterTransitionStart = dsn ? Sentry.captureRouterTransitionStart : undefined;
