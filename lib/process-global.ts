// One value per process, shared by every copy of a module. Next.js bundles instrumentation.ts
// (which starts the background driver and answers API requests directly) apart from the routes and
// pages, so a module-level Map would exist once per bundle; state that must be the process's, like
// the runs executing here, lives on globalThis under a registered symbol instead.

export function processGlobal<T>(name: string, create: () => T): T {
  const key = Symbol.for(`personal-automations.${name}`);
  const global = globalThis as Record<symbol, T | undefined>;
  return (global[key] ??= create());
}
