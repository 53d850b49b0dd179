import { buildIfNeeded } from "../lib/build";

// Command-line pieces the benchmarks share: whole-number flags, and building the app for the
// HTTP figures (or saying why they are skipped).

/** A flag that must be a whole number ≥ `min` (1 unless said); anything else prints the usage and exits 2. */
export function positiveInt(name: string, value: string, usage: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    const expected = min === 1 ? "a positive whole number" : `a whole number of at least ${min}`;
    console.error(`--${name} must be ${expected}, not "${value}"\n\n${usage}`);
    process.exit(2);
  }
  return n;
}

/**
 * Builds the app unless the HTTP figures are skipped; returns the worker's extra arguments (the
 * reason they are skipped when the build fails). Runs in the supervisor, in the terminal's process
 * group, so Ctrl-C stops the build directly.
 */
export async function buildOrSkipHttp(httpSkipped: string | null): Promise<string[]> {
  if (httpSkipped) return [];
  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  let reason: string | null = null;
  try {
    buildIfNeeded((line) => console.error(`[bench] ${line}`));
  } catch (error) {
    reason = `the app did not build (${error instanceof Error ? error.message : error}); run \`npm run build\` to see why`;
  }
  await new Promise((resolve) => setImmediate(resolve));
  if (interrupted) process.exit(130);
  process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  return reason ? ["--http-skipped-because", reason] : [];
}
