import { readFileSync } from "node:fs";

// Timing, percentiles and the printed table for the benchmarks.

export type Summary = { count: number; p50: number; p95: number; p99: number; max: number };

/** Nearest-rank percentiles, in milliseconds. */
export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

/** Runs `fn` `count` times one after another and returns each call's duration in ms. */
export async function timeSequential(count: number, fn: () => Promise<void>, signal: AbortSignal): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count && !signal.aborted; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

export type Throughput = { completed: number; failed: number; perSecond: number };

/** `concurrency` callers each calling `fn` in a loop for `seconds`; `fn` returns false for a failed call. */
export async function measureThroughput(
  concurrency: number,
  seconds: number,
  fn: () => Promise<boolean>,
  signal: AbortSignal,
): Promise<Throughput> {
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline && !signal.aborted) {
      if (await fn()) completed++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = (performance.now() - started) / 1000;
  return { completed, failed, perSecond: completed / elapsed };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  // First column left-aligned (labels), the rest right-aligned (figures).
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "–");

export const mib = (bytes: number | null) => (bytes === null ? "–" : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/** Resident memory of a process and its descendants (Linux /proc); null elsewhere. */
export function processTreeRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return kib * 1024 + children.reduce((sum, child) => sum + (processTreeRss(Number(child)) ?? 0), 0);
  } catch {
    return null;
  }
}

/**
 * CPU time in milliseconds of a process and its descendants from Linux's /proc (clock ticks of
 * 10 ms); null elsewhere. Children that have exited count through their parent's cutime and
 * cstime, so it never goes back.
 */
export function processTreeCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * 10;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return own + children.reduce((sum, child) => sum + (processTreeCpu(Number(child)) ?? 0), 0);
  } catch {
    return null;
  }
}
