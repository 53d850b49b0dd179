import * as Sentry from "@sentry/nextjs";
import { getConfig } from "@/lib/config";

// Sentry only when a DSN is configured; without one nothing is initialised and nothing is sent.

export function sentryEnabled(): boolean {
  return Boolean(getConfig().SENTRY_DSN);
}

export function initServerSentry(): void {
  const config = getConfig();
  if (!config.SENTRY_DSN) return;
  Sentry.init({
    dsn: config.SENTRY_DSN,
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    tracesSampleRate: config.SENTRY_TRACES_SAMPLE_RATE,
  });
}

export function captureException(error: unknown, context: { requestId?: string } = {}): void {
  if (!sentryEnabled()) return;
  Sentry.captureException(error, { tags: context.requestId ? { requestId: context.requestId } : undefined });
}
