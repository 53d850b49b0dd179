import { z } from "zod";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import * as jobs from "@/lib/jobs/jobs.repository";
import { holderOf, refusalFor } from "@/lib/jobs/lease";

// The holder says it is still working: the lease is extended by the kind's lease length, never
// past the attempt's max runtime. A lapsed lease cannot be revived (the job may be someone else's).

export const heartbeatRequest = z.object({ leaseId: z.string().min(1).max(100) });

export const heartbeatResponse = z
  .object({ id: z.string(), leaseExpiresAt: z.iso.datetime(), attempts: z.number().int() })
  .meta({ id: "AgentJobHeartbeat" });

export async function heartbeatJob(principal: AgentPrincipal, jobId: string, leaseId: string): Promise<z.infer<typeof heartbeatResponse>> {
  const db = autocommit();
  const extended = await jobs.extendLease(db, holderOf(principal, jobId, leaseId), newId("jev"));
  if (extended) return { id: jobId, leaseExpiresAt: extended.leaseExpiresAt.toISOString(), attempts: extended.attempts };
  throw await refusalFor(principal, await jobs.findJob(db, jobId), leaseId);
}
