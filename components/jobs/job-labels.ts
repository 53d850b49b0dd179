import type { JobDto } from "@/lib/jobs/job-dto";

// How jobs are named and grouped on screen.

export type JobStatus = JobDto["status"];

/** The random tail of a job id: enough to tell jobs apart in a table; the full id is in the title. */
export function shortJobId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

/** Queued or claimed: an agent may still pick it up or finish it, so the page keeps polling. */
export function isActiveJob(status: JobStatus): boolean {
  return status === "queued" || status === "claimed";
}

export function canCancel(status: JobStatus): boolean {
  return isActiveJob(status);
}

export function canRetry(status: JobStatus): boolean {
  return status === "failed" || status === "dead" || status === "cancelled";
}

/** Agent ids mapped to their names, so tables can say who holds a lease. */
export type AgentNames = Record<string, string>;

export function agentLabel(agentId: string | null, names: AgentNames): string | null {
  if (!agentId) return null;
  return names[agentId] ?? agentId;
}

export type JobFilters = { status: JobStatus | null; kind: string | null };

/** The board's filters as a query string (also the key that remounts the board when they change). */
export function filtersToSearch(filters: JobFilters): string {
  const search = new URLSearchParams();
  if (filters.status) search.set("status", filters.status);
  if (filters.kind) search.set("kind", filters.kind);
  return search.toString();
}
