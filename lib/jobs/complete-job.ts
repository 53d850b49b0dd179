import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { AppError, fieldIssues, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { forgetKind, knownKind } from "@/lib/jobs/kind-cache";
import * as jobs from "@/lib/jobs/jobs.repository";
import { findJobKind } from "@/lib/jobs/kinds";
import { holderOf, refusalFor } from "@/lib/jobs/lease";
import { queueResultHandler } from "@/lib/jobs/result-handler";
import { hashResult } from "@/lib/jobs/result-hash";
import { crashPoint } from "@/lib/crash-point";
import { observeJobOutcome } from "@/lib/observability/observe";

// An agent hands back its result. It counts only when it matches the kind's result schema (an
// agent saying "ok" is not the work being done); a refused result leaves the job claimed so the
// agent can fix it and try again within its lease.

export const completeRequest = z.object({
  leaseId: z.string().min(1).max(100),
  result: z.unknown(),
});

export const completion = z
  .object({
    id: z.string(),
    status: z.literal("succeeded"),
    attempts: z.number().int(),
    finishedAt: z.iso.datetime(),
    idempotent: z.boolean().describe("True when this exact result had already been accepted"),
    resultHandler: z
      .string()
      .nullable()
      .describe("The pipeline the result becomes real work through (started in the background; the job's resultRunId links its run); null when the kind has none"),
  })
  .meta({ id: "AgentJobCompletion" });

export type Completion = z.infer<typeof completion>;

export async function completeJob(principal: AgentPrincipal, jobId: string, leaseId: string, result: unknown): Promise<Completion> {
  const db = autocommit();
  const holder = holderOf(principal, jobId, leaseId);
  let job: jobs.JobRow | null = null;
  let kindName = knownKind(jobId);
  if (!kindName) {
    job = await jobs.findJob(db, jobId);
    if (!job) throw await refusalFor(principal, null, leaseId);
    kindName = job.kind;
  }
  const kind = findJobKind(kindName);
  if (!kind) throw new AppError("conflict", `The job's kind ${kindName} is no longer defined`);

  const parsed = kind.result.safeParse(result);
  if (!parsed.success) {
    job ??= await jobs.findJob(db, jobId);
    const holds = job?.status === "claimed" && job.leaseId === leaseId && job.claimedByAgent === principal.agentId;
    if (!holds) throw await refusalFor(principal, job, leaseId);
    await jobs.insertEvents(db, [
      {
        id: newId("jev"),
        jobId,
        type: "refused",
        agentId: principal.agentId,
        tokenId: principal.tokenId,
        attempt: job!.attempts,
        detail: { issues: fieldIssues(parsed.error) },
      },
    ]);
    throw validationError(parsed.error, `The result for job kind ${kind.name}`);
  }

  const value = parsed.data as Prisma.InputJsonValue;
  const resultHash = hashResult(value);
  const done = await observeJobOutcome({ id: jobId, kind: kind.name }, "complete", () => jobs.markSucceeded(db, holder, { result: value, resultHash }, newId("jev")), (r) => (r ? "succeeded" : null));
  if (done) {
    crashPoint("job:before-result");
    forgetKind(jobId);
    // In the background: the agent's answer does not wait for a Gmail draft or a hub write.
    if (kind.resultPipeline) queueResultHandler({ jobId, kind: kind.name });
    return { id: jobId, status: "succeeded", attempts: done.attempts, finishedAt: done.finishedAt.toISOString(), idempotent: false, resultHandler: kind.resultPipeline ?? null };
  }

  // Not applied: a repeat of a completion that was, a different result, or a lease lost.
  const current = await jobs.findJob(db, jobId);
  const sameHolder = current?.claimedByAgent === principal.agentId && current.leaseId === leaseId;
  if (current?.status === "succeeded" && sameHolder) {
    if (current.resultHash !== resultHash) {
      throw new AppError("conflict", "The job was already completed with a different result", { jobId, status: current.status });
    }
    // Started again for a repeat: the key per job returns the first run (or starts one that was lost).
    if (kind.resultPipeline) queueResultHandler({ jobId, kind: kind.name });
    return { id: jobId, status: "succeeded", attempts: current.attempts, finishedAt: current.finishedAt!.toISOString(), idempotent: true, resultHandler: kind.resultPipeline ?? null };
  }
  throw await refusalFor(principal, current, leaseId);
}
