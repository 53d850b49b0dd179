import { z } from "zod";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { forgetKind, knownKind } from "@/lib/jobs/kind-cache";
import { observeJobOutcome } from "@/lib/observability/observe";
import * as jobs from "@/lib/jobs/jobs.repository";
import { holderOf, refusalFor } from "@/lib/jobs/lease";

// The holder gives up on an attempt. A retryable failure with attempts left goes back to the queue
// after an exponential backoff (5 s, 10 s, 20 s … at most 5 min); otherwise the job is failed.

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export const failRequest = z.object({
  leaseId: z.string().min(1).max(100),
  message: z.string().trim().min(1).max(4_000),
  retryable: z.boolean().default(true).describe("False when another attempt cannot succeed"),
});

export const failure = z
  .object({
    id: z.string(),
    status: z.enum(["queued", "failed"]),
    attempts: z.number().int(),
    retryAt: z.iso.datetime().nullable().describe("When it may be claimed again (null when failed for good)"),
  })
  .meta({ id: "AgentJobFailure" });

export async function failJob(
  principal: AgentPrincipal,
  jobId: string,
  request: z.input<typeof failRequest>,
): Promise<z.infer<typeof failure>> {
  const { leaseId, message, retryable } = failRequest.parse(request);
  const db = autocommit();
  const failed = await observeJobOutcome({ id: jobId, kind: knownKind(jobId) }, "fail", () => jobs.markFailed(
    db,
    holderOf(principal, jobId, leaseId),
    { message, retryable, backoffBaseMs: BACKOFF_BASE_MS, backoffMaxMs: BACKOFF_MAX_MS },
    newId("jev"),
  ), (r) => (r ? (r.status === "queued" ? "requeued" : "failed") : null));
  if (!failed) throw await refusalFor(principal, await jobs.findJob(db, jobId), leaseId);
  forgetKind(jobId);
  const status = failed.status === "queued" ? "queued" : "failed";
  return { id: jobId, status, attempts: failed.attempts, retryAt: status === "queued" ? failed.availableAt.toISOString() : null };
}
