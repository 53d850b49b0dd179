import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

// Carries the request id (and who is acting) through everything a request does, so log lines and
// recorded runs can be joined back to the request that caused them.

export type RequestContext = {
  requestId: string;
  userId?: string;
  /** Set when tracing is on and the sampler dropped this request's trace (lib/observability/tracing.ts). */
  untraced?: true;
};

// On globalThis: Next compiles instrumentation.ts and the routes separately, each with its own copy
// of this module, and work started in one (the database pool) must see the other's context.
const globalForContext = globalThis as unknown as { __paRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (globalForContext.__paRequestContext ??= new AsyncLocalStorage<RequestContext>());

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** Accepts a caller's x-request-id when it looks like an id, otherwise makes a new one. */
export function resolveRequestId(incoming: string | null | undefined): string {
  return incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : `req_${randomUUID().replaceAll("-", "")}`;
}
