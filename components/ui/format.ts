const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function formatRelative(date: Date | string | null | undefined, now = Date.now()): string {
  if (!date) return "never";
  const ms = new Date(date).getTime() - now;
  const abs = Math.abs(ms);
  // A time ahead (a schedule's next fire) is never "just now": say how soon.
  if (ms >= 1000 && ms < 45_000) return `in ${Math.round(ms / 1000)} s`;
  if (abs < 45_000) return "just now";
  if (abs < 3_600_000) return relative.format(Math.round(ms / 60_000), "minute");
  if (abs < 86_400_000) return relative.format(Math.round(ms / 3_600_000), "hour");
  return relative.format(Math.round(ms / 86_400_000), "day");
}

export function formatDateTime(date: Date | string | null | undefined): string {
  if (!date) return "—";
  return new Date(date).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 10 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
