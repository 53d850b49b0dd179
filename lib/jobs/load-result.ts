import type { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import type { JobKindDefinition } from "@/lib/jobs/define";
import * as jobs from "@/lib/jobs/jobs.repository";
import { createWriteBatcher } from "@/lib/db/write-batcher";

// What a result pipeline reads: the succeeded job of its kind, with input and result parsed by the
// kind's own schemas. The pipeline takes only the job id, so nobody can hand it a forged result.

export type LoadedResult<I extends z.ZodType, R extends z.ZodType> = {
  job: jobs.JobRow;
  input: z.output<I>;
  result: z.output<R>;
};

/**
 * Result handlers run in rounds (result-handler.ts): the jobs their pipelines read at the same time
 * are read in one statement on one connection, not one each.
 */
const jobReads = createWriteBatcher<string, jobs.JobRow | null>(async (ids) => {
  const rows = new Map((await jobs.findJobs(autocommit(), [...new Set(ids)])).map((row) => [row.id, row]));
  return ids.map((id) => rows.get(id) ?? null);
});

export async function loadJobResult<I extends z.ZodType, R extends z.ZodType>(kind: JobKindDefinition<I, R>, jobId: string): Promise<LoadedResult<I, R>> {
  const job = await jobReads.add(jobId);
  if (!job) throw new AppError("not_found", `There is no job ${jobId}`);
  if (job.kind !== kind.name) throw new AppError("conflict", `Job ${jobId} is a ${job.kind} job, not ${kind.name}`);
  if (job.status !== "succeeded") throw new AppError("conflict", `Job ${jobId} is ${job.status}; only a succeeded job has a result`);
  return { job, input: kind.input.parse(job.input), result: kind.result.parse(job.result) };
}

/** The job's finish date as YYYY-MM-DD (UTC): the same name however often the handler runs. */
export const finishDate = (job: jobs.JobRow) => (job.finishedAt ?? job.createdAt).toISOString().slice(0, 10);
