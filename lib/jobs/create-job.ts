import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { withTransaction } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import * as jobs from "@/lib/jobs/jobs.repository";
import { toJobDto, type JobDto } from "@/lib/jobs/job-dto";
import { getJobKind } from "@/lib/jobs/kinds";
import { observeJobCreate } from "@/lib/observability/observe";

// Jobs are created by the agent-jobs.create pipeline (so schedules, webhooks, chat and the
// dashboard all create them the same way, and every job links back to a run).

export const createJobRequest = z.object({
  kind: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()),
  priority: z.number().int().min(-1000).max(1000).default(0).describe("Higher is claimed first"),
  idempotencyKey: z.string().min(1).max(200).optional().describe("A second create with the same key returns the first job"),
});

export type CreateJobRequest = z.input<typeof createJobRequest> & { createdByRunId?: string | null };

export type CreateJobResult = { job: JobDto; created: boolean };

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function createJob(request: CreateJobRequest): Promise<CreateJobResult> {
  const kind = getJobKind(request.kind);
  const parsed = kind.input.safeParse(request.input);
  if (!parsed.success) throw validationError(parsed.error, `Input for job kind ${kind.name}`);
  const key = request.idempotencyKey ?? null;
  const existing = async () => {
    const job = key ? await withTransaction((tx) => jobs.findJobByIdempotencyKey(tx, key)) : null;
    if (job && job.kind !== kind.name) {
      throw new AppError("conflict", `The idempotency key was used for a ${job.kind} job (${job.id})`, { jobId: job.id });
    }
    return job;
  };
  const before = await existing();
  if (before) return { job: toJobDto(before), created: false };
  try {
    const row = await observeJobCreate(kind.name, () => withTransaction(async (tx) => {
      const job = await jobs.insertJob(tx, {
        id: newId("job"),
        kind: kind.name,
        priority: request.priority ?? 0,
        input: parsed.data as Prisma.InputJsonValue,
        maxAttempts: kind.maxAttempts,
        leaseMs: kind.leaseMs,
        maxRuntimeMs: kind.maxRuntimeMs,
        idempotencyKey: key,
        createdByRunId: request.createdByRunId ?? null,
        availableAt: new Date(),
      });
      await jobs.insertEvents(tx, [
        { id: newId("jev"), jobId: job.id, type: "created", detail: { runId: job.createdByRunId, priority: job.priority } },
      ]);
      return job;
    }));
    return { job: toJobDto(row), created: true };
  } catch (error) {
    // Two creates with one key at the same moment: the loser returns the winner's job.
    const winner = isUniqueViolation(error) ? await existing() : null;
    if (winner) return { job: toJobDto(winner), created: false };
    throw error;
  }
}
