import { SpanStatusCode } from "@opentelemetry/api";
import { metrics } from "@/lib/observability/metrics";
import { ATTR_REQUEST_ID, withRequestSpan } from "@/lib/observability/tracing";

// The API request's metrics and span, from the one route wrapper (lib/http/handler.ts).

/**
 * The route template a request matched ("/api/agent/jobs/[id]/complete"), rebuilt from its path
 * and params: the metric label must not carry ids. Only paths Next routed to a handler get here,
 * so the set of templates is the set of routes.
 */
export function routeTemplate(pathname: string, params: Record<string, unknown>): string {
  const segments = pathname.split("/");
  const taken = new Set<number>();
  const indexOf = (value: string) =>
    segments.findIndex((s, i) => !taken.has(i) && i > 0 && (s === value || safeDecode(s) === value));
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      // A catch-all ([...name]): its segments are the path's tail.
      const start = value.length > 0 ? segments.length - value.length : -1;
      if (start > 0) {
        segments.splice(start, value.length, `[...${name}]`);
        taken.add(start);
      }
      continue;
    }
    const at = indexOf(String(value));
    if (at > 0) {
      segments[at] = `[${name}]`;
      taken.add(at);
    }
  }
  return segments.join("/") || "/";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export type RequestObservation = {
  /** Records the outcome: the route template is known once the params are. */
  finish(route: string, status: number): void;
};

/**
 * Runs a request inside its span (the root of the request → run → query → job trace; none when
 * `traced` is false) and counts it.
 */
export function observeRequest(method: string, requestId: string, headers: Headers, traced: boolean, fn: (observation: RequestObservation) => Promise<Response>): Promise<Response> {
  const started = performance.now();
  return withRequestSpan(
    `${method} /api`,
    { "http.request.method": method, [ATTR_REQUEST_ID]: requestId },
    { headers, traced },
    (span) =>
      fn({
        finish(route, status) {
          const seconds = (performance.now() - started) / 1000;
          const labels = { route, method, status: String(status) };
          const m = metrics();
          m.httpRequests.inc(labels);
          m.httpDuration.observe(labels, seconds);
          if (span) {
            span.updateName(`${method} ${route}`);
            span.setAttributes({ "http.route": route, "http.response.status_code": status });
            if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          }
        },
      }),
  );
}
