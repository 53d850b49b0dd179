import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import type { AgentPrincipal } from "@/lib/agents/principal";
import * as jobs from "@/lib/jobs/jobs.repository";

// Why a lease-holder operation (heartbeat, complete, fail) did not apply, as the error the agent gets.

export const LOST_LEASE = "You no longer hold this job's lease";

export const holderOf = (principal: AgentPrincipal, jobId: string, leaseId: string): jobs.Holder => ({
  jobId,
  leaseId,
  agentId: principal.agentId,
  tokenId: principal.tokenId,
});

/** 404 for a job this agent never worked on (it cannot probe other agents' jobs), 409 otherwise. */
export async function refusalFor(principal: AgentPrincipal, job: jobs.JobRow | null, leaseId: string): Promise<AppError> {
  const db = autocommit();
  const known = job && (job.claimedByAgent === principal.agentId || (await jobs.agentTouchedJob(db, job.id, principal.agentId)));
  if (!job || !known) return new AppError("not_found", "There is no such job, or this agent never held it");
  const held = job.claimedByAgent === principal.agentId && job.leaseId === leaseId;
  if (!held) return new AppError("conflict", LOST_LEASE, { jobId: job.id, status: job.status });
  // Expiry by the database's clock, the one that set the lease and that expires it.
  if (job.status === "claimed" && job.leaseExpiresAt && (await jobs.isLeaseExpired(db, job.id))) {
    return new AppError("conflict", `${LOST_LEASE}: the lease expired`, { jobId: job.id, status: job.status });
  }
  return new AppError("conflict", `The job is ${job.status}`, { jobId: job.id, status: job.status });
}
