import type { JobStatus } from "@/generated/prisma/client";
import { withTransaction } from "@/lib/db/transaction";
import type { MailboxScope } from "@/lib/email/mailbox-access";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { toJobDto, type JobDto } from "@/lib/jobs/job-dto";
import * as jobs from "@/lib/jobs/jobs.repository";
import { assertSeesJob } from "@/lib/jobs/read-jobs";

// What people do to jobs from the dashboard or CLI. Cancelling a claimed job takes its lease away
// (the agent's next heartbeat or completion gets a 409). Retrying a failed, dead or cancelled job
// queues it again with its attempts reset to 0, so it gets the kind's full number of attempts;
// the earlier attempts stay in the event trail. A job made from someone else's mail is a 404.

/** Who did it: a signed-in user (id, email) or the CLI (no id, its OS user). */
export type By = { userId: string | null; label: string };

const CANCELLABLE: JobStatus[] = ["queued", "claimed"];
const RETRYABLE: JobStatus[] = ["failed", "dead", "cancelled"];

async function change(id: string, from: JobStatus[], type: string, by: By, data: Parameters<typeof jobs.transition>[3]): Promise<JobDto> {
  return withTransaction(async (tx) => {
    const before = await jobs.findJob(tx, id);
    if (!before) throw new AppError("not_found", `There is no job ${id}`);
    const after = await jobs.transition(tx, id, from, data);
    if (!after) {
      throw new AppError("conflict", `The job is ${before.status}; only ${from.join(", ")} jobs can be ${type}`, {
        jobId: id,
        status: before.status,
      });
    }
    await jobs.insertEvents(tx, [
      { id: newId("jev"), jobId: id, type, attempt: before.attempts, detail: { by: by.label, userId: by.userId, from: before.status } },
    ]);
    return toJobDto(after);
  });
}

export async function cancelJob(viewer: MailboxScope, id: string, by: By): Promise<JobDto> {
  await assertSeesJob(viewer, id);
  return change(id, CANCELLABLE, "cancelled", by, {
    status: "cancelled",
    leaseId: null,
    leaseExpiresAt: null,
    finishedAt: new Date(),
  });
}

export async function retryJob(viewer: MailboxScope, id: string, by: By): Promise<JobDto> {
  await assertSeesJob(viewer, id);
  return change(id, RETRYABLE, "retried", by, {
    status: "queued",
    attempts: 0,
    leaseId: null,
    leaseExpiresAt: null,
    finishedAt: null,
    availableAt: new Date(),
  });
}
