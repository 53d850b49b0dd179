import { createHash } from "node:crypto";

// The same result always hashes the same, whatever order its keys were sent in: a repeated
// completion is recognised as a retry, not a conflict.

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function hashResult(result: unknown): string {
  return createHash("sha256").update(canonical(result)).digest("hex");
}
