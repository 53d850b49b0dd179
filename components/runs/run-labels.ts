import type { RunDto } from "@/lib/pipelines/run-dto";

// How runs are named on screen.

/** The random tail of a run id: enough to tell runs apart in a table; the full id is in the title. */
export function shortRunId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

export function actorLabel(actor: RunDto["actor"]): string {
  return actor.label ?? actor.id ?? actor.type;
}

export function isOpen(status: RunDto["status"]): boolean {
  return status === "queued" || status === "running";
}

/** A limit, written the way it was probably configured: "5 s", "2 min", "1 h 30 min". */
export function formatLimit(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}
