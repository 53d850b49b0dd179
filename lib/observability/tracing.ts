import { context, isSpanContextValid, propagation, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { getConfig } from "@/lib/config";
import { currentRequestContext } from "@/lib/request-context";
import { currentRunId } from "@/lib/observability/run-context";

// OpenTelemetry traces, exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set. When
// it is not, nothing is registered and every helper here calls straight through (no span objects,
// no context switches), so tracing costs nothing unless it is configured.

export const TRACER_NAME = "personal-automations";
export const ATTR_REQUEST_ID = "pa.request_id";
export const ATTR_RUN_ID = "pa.run_id";

type TracingState = { enabled: boolean; tracer?: Tracer; shutdown?: () => Promise<void>; flush?: () => Promise<void> };
const globalForTracing = globalThis as unknown as { __paTracing?: TracingState };

export function tracingEnabled(): boolean {
  return globalForTracing.__paTracing?.enabled === true;
}

/**
 * Registers the global tracer provider (Node's async-hooks context, W3C propagation, a batching
 * OTLP exporter) when an endpoint is configured. Idempotent; returns whether tracing is on.
 */
export async function startTracing(): Promise<boolean> {
  if (globalForTracing.__paTracing) return globalForTracing.__paTracing.enabled;
  const config = getConfig();
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) {
    globalForTracing.__paTracing = { enabled: false };
    return false;
  }
  const [{ NodeTracerProvider }, { BatchSpanProcessor, ParentBasedSampler }, { OTLPTraceExporter }, { resourceFromAttributes }, { BudgetSampler }] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/sdk-trace-base"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@/lib/observability/sampler"),
    ]);
  const url = `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": config.OTEL_SERVICE_NAME }),
    sampler: new ParentBasedSampler({ root: new BudgetSampler(config.OTEL_TRACES_PER_SECOND, config.OTEL_TRACES_SAMPLE_RATIO) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1_000 })],
  });
  // The context manager (async hooks) and W3C propagation are registered globally; the provider is
  // then taken back out of the global API. A global provider switches on Next.js's own spans
  // (several per request, around ours), which cost more CPU than the work they describe; our spans
  // use this provider directly, and observeRequest continues a caller's `traceparent` itself.
  provider.register();
  trace.disable();
  globalForTracing.__paTracing = {
    enabled: true,
    tracer: provider.getTracer(TRACER_NAME),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
  return true;
}

/** Sends the spans still buffered (tests, and a process about to exit). */
export async function flushTraces(): Promise<void> {
  await globalForTracing.__paTracing?.flush?.();
}

function tracer(): Tracer {
  return globalForTracing.__paTracing?.tracer ?? trace.getTracer(TRACER_NAME);
}

/** The ids every span carries, from the request and run this work belongs to. */
export function correlationAttributes(): Attributes {
  const attributes: Attributes = {};
  const requestId = currentRequestContext()?.requestId;
  const runId = currentRunId();
  if (requestId) attributes[ATTR_REQUEST_ID] = requestId;
  if (runId) attributes[ATTR_RUN_ID] = runId;
  return attributes;
}

export type SpanOptions<T> = {
  kind?: SpanKind;
  /** The context to start in instead of the active one (a caller's, from its `traceparent`). */
  parent?: Context;
  /** Attributes learnt from the result (e.g. the ids of the jobs a claim returned). */
  describe?: (result: T) => Attributes;
};

/**
 * Runs `fn` inside a child span of the active one (ended when it settles, marked as an error when
 * it throws). Without tracing it is just `fn()`.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span?: Span) => Promise<T>, options: SpanOptions<T> = {}): Promise<T> {
  if (!tracingEnabled()) return fn();
  // In a caller's unsampled trace, its work stays in that trace: nothing below starts a new one.
  if (!worthASpan({ startsTrace: true }, options.parent)) return options.parent ? context.with(options.parent, fn) : fn();
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, attributes: { ...correlationAttributes(), ...attributes } };
  return tracer().startActiveSpan(name, spanOptions, options.parent ?? context.active(), (span) => settle(span, fn, options.describe));
}

/**
 * Runs a request inside its root span, continuing the caller's trace when it sent a `traceparent`.
 * When the sampler drops a new trace (most requests under load), or the route is not `traced`,
 * the request runs exactly as it would without tracing: no span is made active and no context is
 * switched; the request is only marked so that nothing under it (its run, queries, jobs) starts a
 * trace of its own.
 */
export function withRequestSpan<T>(
  name: string,
  attributes: Attributes,
  { headers, traced = true }: { headers: Headers; traced?: boolean },
  fn: (span?: Span) => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return fn();
  if (!traced) return untraced(fn);
  const parent = callerContext(headers);
  if (trace.getSpan(parent)) return withSpan(name, attributes, fn, { kind: SpanKind.SERVER, parent });
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  if (!span.isRecording()) return untraced(fn);
  span.setAttributes(correlationAttributes());
  return context.with(trace.setSpan(parent, span), () => settle(span, fn));
}

function untraced<T>(fn: (span?: Span) => Promise<T>): Promise<T> {
  const request = currentRequestContext();
  if (request) request.untraced = true;
  return fn();
}

/** Awaits `fn` in `span`, records how it ended, and ends the span. */
async function settle<T>(span: Span, fn: (span?: Span) => Promise<T>, describe?: (result: T) => Attributes): Promise<T> {
  try {
    const result = await fn(span);
    if (describe) span.setAttributes(describe(result));
    return result;
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Whether a span made here would be kept. Inside a trace the sampler dropped (most of them under
 * load), a child would be a no-op span: skipping it saves the span object, its attributes and the
 * context switch, which is what an unsampled request would otherwise still pay for. Outside any
 * span, a new trace may start, except under a request whose own trace was dropped.
 */
function worthASpan({ startsTrace }: { startsTrace: boolean }, from: Context = context.active()): boolean {
  const parent = trace.getSpan(from)?.spanContext();
  if (!parent || !isSpanContextValid(parent)) return startsTrace && currentRequestContext()?.untraced !== true;
  return (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
}

/**
 * The context a request continues: its caller's trace when it sent a W3C `traceparent`, else the
 * active one. Without tracing, the active one (nothing is read).
 */
export function callerContext(headers: Headers): Context {
  if (!tracingEnabled() || !headers.has("traceparent")) return context.active();
  return propagation.extract(context.active(), headers, {
    keys: (carrier) => [...carrier.keys()],
    get: (carrier, key) => carrier.get(key) ?? undefined,
  });
}

/** Whether the work running now belongs to a trace that is kept. */
export function inKeptTrace(): boolean {
  return tracingEnabled() && worthASpan({ startsTrace: false });
}

/** The active span's ids, e.g. to report which trace a response belongs to. */
export function activeTraceId(): string | undefined {
  if (!tracingEnabled()) return undefined;
  return trace.getSpan(context.active())?.spanContext().traceId;
}

/**
 * The AI SDK's own spans (ai.generateText, ai.streamText and each model call under them) while
 * tracing is on; prompts and outputs stay out of them (email text is untrusted and private).
 */
export function modelTelemetry(area: string) {
  return {
    isEnabled: tracingEnabled(),
    tracer: tracingEnabled() ? tracer() : undefined,
    recordInputs: false,
    recordOutputs: false,
    functionId: area,
    metadata: { ...Object.fromEntries(Object.entries(correlationAttributes()).map(([k, v]) => [k, String(v)])), area },
  };
}
