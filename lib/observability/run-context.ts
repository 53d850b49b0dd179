import { AsyncLocalStorage } from "node:async_hooks";

// The pipeline run a piece of work belongs to, next to the request id (lib/request-context.ts), so
// an error reported from inside a run (or a job it creates) carries the run id as well.

// On globalThis, like lib/request-context.ts: one store however many copies of this module Next bundles.
const globalForRun = globalThis as unknown as { __paRunContext?: AsyncLocalStorage<{ runId: string }> };
const storage = (globalForRun.__paRunContext ??= new AsyncLocalStorage<{ runId: string }>());

export function runWithRunId<T>(runId: string, fn: () => T): T {
  return storage.run({ runId }, fn);
}

export function currentRunId(): string | undefined {
  return storage.getStore()?.runId;
}
