import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import type { SqlTx } from "@/lib/db/sql-transaction";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import * as jobs from "@/lib/jobs/jobs.repository";
import { toJobDto, type JobDto } from "@/lib/jobs/job-dto";
import { getJobKind } from "@/lib/jobs/kinds";
import { observeJobCreate } from "@/lib/observability/observe";

// Jobs are created by the agent-jobs.create pipeline (so schedules, webhooks, chat and the
// dashboard all create them the same way, and every job links back to a run). One job or many,
// they go in with their "created" events in one statement: all of them or none.

export const createJobRequest = z.object({
  kind: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()),
  priority: z.number().int().min(-1000).max(1000).default(0).describe("Higher is claimed first"),
  idempotencyKey: z.string().min(1).max(200).optional().describe("A second create with the same key returns the first job"),
});

/** The most jobs one call (one run of agent-jobs.create) may create. */
export const MAX_JOBS_PER_CALL = 1_000;

export type CreateJobRequest = z.input<typeof createJobRequest> & { createdByRunId?: string | null };

export type CreateJobResult = { job: JobDto; created: boolean };

function prepare(request: CreateJobRequest, context: (kind: string) => string): jobs.NewJob {
  const kind = getJobKind(request.kind);
  const parsed = kind.input.safeParse(request.input);
  if (!parsed.success) throw validationError(parsed.error, context(kind.name));
  return {
    id: newId("job"),
    eventId: newId("jev"),
    kind: kind.name,
    priority: request.priority ?? 0,
    input: parsed.data as Prisma.InputJsonValue,
    maxAttempts: kind.maxAttempts,
    leaseMs: kind.leaseMs,
    maxRuntimeMs: kind.maxRuntimeMs,
    idempotencyKey: request.idempotencyKey ?? null,
    createdByRunId: request.createdByRunId ?? null,
    mailboxAccountId: sourceMailbox(parsed.data),
  };
}

/** The mailbox a job's input says it came from (`source.accountId`, as triage's jobs have). */
export function sourceMailbox(input: unknown): string | null {
  const source = (input as { source?: unknown } | null)?.source;
  const accountId = source && typeof source === "object" ? (source as { accountId?: unknown }).accountId : undefined;
  return typeof accountId === "string" ? accountId : null;
}

/** Inserts the jobs; a job whose key was used before answers with that first job (same kind, or a 409). */
async function insertOrFind(tx: SqlTx, rows: jobs.NewJob[]): Promise<CreateJobResult[]> {
  const inserted = new Map((await jobs.insertJobs(tx, rows)).map((row) => [row.id, row]));
  const taken = rows.filter((row) => !inserted.has(row.id)).map((row) => row.idempotencyKey!);
  // A key that conflicted belongs to a committed job: the insert waited for whoever held it.
  const existing = new Map((await jobs.findJobsByIdempotencyKeys(tx, taken)).map((job) => [job.idempotencyKey!, job]));
  return rows.map((row) => {
    const mine = inserted.get(row.id);
    if (mine) return { job: toJobDto(mine), created: true };
    const first = existing.get(row.idempotencyKey!);
    if (!first) throw new AppError("conflict", `The job with idempotency key "${row.idempotencyKey}" was deleted while this one was created; try again`);
    if (first.kind !== row.kind) {
      throw new AppError("conflict", `The idempotency key "${row.idempotencyKey}" was used for a ${first.kind} job (${first.id})`, { jobId: first.id });
    }
    return { job: toJobDto(first), created: false };
  });
}

export type CreateJobsOptions = {
  /**
   * The transaction to create them in: agent-jobs.create passes its run's, so the jobs commit
   * together with the run's outcome (a run interrupted by a crash leaves no job behind).
   */
  tx?: SqlTx;
};

/**
 * Creates jobs (at most MAX_JOBS_PER_CALL), in the order given. Each input is checked against its
 * kind's schema first; a repeated idempotency key returns the first job (`created: false`). One
 * statement for a single job; several go in one transaction, so a refused one leaves none behind.
 */
export async function createJobs(requests: CreateJobRequest[], options: CreateJobsOptions = {}): Promise<CreateJobResult[]> {
  if (requests.length === 0) return [];
  if (requests.length > MAX_JOBS_PER_CALL) throw new AppError("bad_request", `At most ${MAX_JOBS_PER_CALL} jobs at a time, not ${requests.length}`);
  const single = requests.length === 1;
  const rows = requests.map((request, i) => prepare(request, (kind) => (single ? `Input for job kind ${kind}` : `Input of job ${i} (${kind})`)));
  const keys = new Set<string>();
  for (const row of rows) {
    if (row.idempotencyKey === null) continue;
    if (keys.has(row.idempotencyKey)) throw new AppError("bad_request", `The idempotency key "${row.idempotencyKey}" is given to two jobs`);
    keys.add(row.idempotencyKey);
  }
  const kinds = [...new Set(rows.map((row) => row.kind))];
  const { tx } = options;
  if (tx) return observeJobCreate(kinds, () => insertOrFind(tx, rows));
  return observeJobCreate(kinds, () => (single || keys.size === 0 ? insertOrFind(autocommit(), rows) : withTransaction((own) => insertOrFind(own, rows))));
}

export async function createJob(request: CreateJobRequest): Promise<CreateJobResult> {
  const [result] = await createJobs([request]);
  return result!;
}
