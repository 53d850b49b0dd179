import * as Sentry from "@sentry/nextjs";

// The browser reports errors only when NEXT_PUBLIC_SENTRY_DSN was set at build time.
const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
if (dsn) Sentry.init({ dsn, tracesSampleRate: 0 });

export const onRouterTransitionStart = dsn ? Sentry.captureRouterTransitionStart : undefined;
