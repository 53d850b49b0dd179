// A job's kind never changes, so the kinds of jobs claimed in this process are remembered: a
// completion can validate the result and write it in one statement, without reading the job first.
// Only a shortcut: a miss reads the job.

const MAX_ENTRIES = 10_000;
const kinds = new Map<string, string>();

export function rememberKind(jobId: string, kind: string): void {
  if (kinds.size >= MAX_ENTRIES) kinds.delete(kinds.keys().next().value!);
  kinds.set(jobId, kind);
}

export function knownKind(jobId: string): string | undefined {
  return kinds.get(jobId);
}

export function forgetKind(jobId: string): void {
  kinds.delete(jobId);
}
