import * as Sentry from "@sentry/nextjs";
import { getConfig } from "@/lib/config";
import { currentRequestContext } from "@/lib/request-context";
import { currentRunId } from "@/lib/observability/run-context";

// Sentry only when a DSN is configured; without one nothing is initialised and nothing is sent.
// Every event carries the request id and run id the logs and traces use, so one id finds all three.

export function sentryEnabled(): boolean {
  return Boolean(getConfig().SENTRY_DSN);
}

export function initServerSentry(options: { ownTracing?: boolean } = {}): void {
  const config = getConfig();
  if (!config.SENTRY_DSN) return;
  Sentry.init({
    dsn: config.SENTRY_DSN,
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    tracesSampleRate: config.SENTRY_TRACES_SAMPLE_RATE,
    // With OTLP tracing on, lib/observability/tracing.ts owns the global OpenTelemetry provider;
    // Sentry then reports errors (with the ids as tags) without registering a second one.
    ...(options.ownTracing ? { enableOpenTelemetrySetup: false } : {}),
  });
}

/** The ids an error report is tagged with: the request's, and the run's when inside one. */
export function correlationTags(requestId?: string): Record<string, string> {
  const tags: Record<string, string> = {};
  const request = requestId ?? currentRequestContext()?.requestId;
  const runId = currentRunId();
  if (request) tags.requestId = request;
  if (runId) tags.runId = runId;
  return tags;
}

export function captureException(error: unknown, context: { requestId?: string } = {}): void {
  if (!sentryEnabled()) return;
  const tags = correlationTags(context.requestId);
  Sentry.captureException(error, { tags: Object.keys(tags).length > 0 ? tags : undefined });
}
