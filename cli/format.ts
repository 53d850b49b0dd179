// Plain-text output helpers: aligned tables and short local timestamps.

export function formatTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-21 15:04` (or `15:04:05` with seconds) in local time, or the fallback for a missing date. */
export function formatTimestamp(date: Date | null, fallback = "-", options: { seconds?: boolean } = {}): string {
  if (!date) return fallback;
  const minutes = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return options.seconds ? `${minutes}:${pad(date.getSeconds())}` : minutes;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** `12 ms`, `1.5 s`, `2 min 5 s`, `1 h 3 min`, or the fallback for a missing duration. */
export function formatDuration(ms: number | null, fallback = "-"): string {
  if (ms === null) return fallback;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`; older than 30 days as a timestamp. */
/** A time to come, relative: "in 12 min", "in 3 d"; "expired" once it has passed. */
export function formatUntil(date: Date | null, now = new Date(), fallback = "-"): string {
  if (!date) return fallback;
  const seconds = Math.floor((date.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return "expired";
  if (seconds < 3600) return `in ${Math.max(1, Math.floor(seconds / 60))} min`;
  if (seconds < 86_400) return `in ${Math.floor(seconds / 3600)} h`;
  return `in ${Math.floor(seconds / 86_400)} d`;
}

export function formatRelative(date: Date | null, now = new Date(), fallback = "-"): string {
  if (!date) return fallback;
  const seconds = Math.floor((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.floor(seconds / 86_400)} d ago`;
  return formatTimestamp(date);
}

/** Indents every line of a block, e.g. pretty JSON under a heading. */
export function indent(text: string, by = "  "): string[] {
  return text.split("\n").map((line) => `${by}${line}`);
}
