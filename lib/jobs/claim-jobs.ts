import { z } from "zod";
import { assertJobKindInScope, jobKindsInScope } from "@/lib/agents/scope";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { autocommit } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { expireLeasesIfDue } from "@/lib/jobs/expire-leases";
import { newFence, type Fence } from "@/lib/jobs/fence";
import { toJobDto, jobDtoSchema } from "@/lib/jobs/job-dto";
import * as jobs from "@/lib/jobs/jobs.repository";
import { describeJobKind, findJobKind, isJobKind } from "@/lib/jobs/kinds";
import { rememberKind } from "@/lib/jobs/kind-cache";
import { observeJobClaim } from "@/lib/observability/observe";

// Claiming: the oldest of the highest-priority queued jobs of the kinds this agent may work on,
// each with a lease the agent proves itself with until it completes, fails or lets it expire.

export const MAX_CLAIM = 10;

export const claimRequest = z.object({
  kinds: z.array(z.string().min(1).max(100)).max(50).optional().describe("Only these kinds (all in scope when left out)"),
  limit: z.number().int().min(1).max(MAX_CLAIM).default(1),
});

export const claimedJobSchema = jobDtoSchema
  .extend({
    jobId: z.string().describe("The same as id: the name heartbeat, complete and fail take it under"),
    leaseId: z.string().describe("Send it with every heartbeat, complete and fail"),
    leaseExpiresAt: z.iso.datetime(),
    instructions: z.string().describe("Markdown for the agent"),
    resultSchema: z.record(z.string(), z.unknown()).describe("JSON Schema the result must match"),
  })
  .meta({ id: "ClaimedAgentJob" });

export type ClaimedJob = z.infer<typeof claimedJobSchema>;

export async function claimJobs(
  principal: AgentPrincipal,
  request: z.input<typeof claimRequest> = {},
  requestId = "",
): Promise<ClaimedJob[]> {
  const { kinds: requested, limit } = claimRequest.parse(request);
  if (requested) for (const kind of requested) await assertJobKindInScope(principal, kind, requestId);
  const kinds = (requested ?? jobKindsInScope(principal)).filter(isJobKind);
  if (kinds.length === 0) return [];

  await expireLeasesIfDue();
  const eventIds = Array.from({ length: limit }, () => newId("jev"));
  const rows = await observeJobClaim(kinds, () => jobs.claimQueuedJobs(autocommit(), {
    kinds: [...new Set(kinds)],
    limit,
    actor: { agentId: principal.agentId, tokenId: principal.tokenId },
    eventIds,
  }));
  rows.sort((a, b) => b.priority - a.priority || a.availableAt.getTime() - b.availableAt.getTime() || (a.id < b.id ? -1 : 1));
  return rows.map((row) => {
    rememberKind(row.id, row.kind);
    const kind = findJobKind(row.kind)!;
    return {
      ...toJobDto(row),
      jobId: row.id,
      leaseId: row.leaseId!,
      leaseExpiresAt: row.leaseExpiresAt!.toISOString(),
      instructions: instructionsFor(kind, row.input),
      resultSchema: describeJobKind(kind).resultSchema,
    };
  });
}

/**
 * The kind's instructions for this input, outside text between markers drawn afresh each time they
 * are rendered (lib/jobs/fence.ts). A job whose stored input no longer parses gets its raw input, fenced.
 */
export function instructionsFor(kind: NonNullable<ReturnType<typeof findJobKind>>, input: unknown, fence: Fence = newFence()): string {
  const parsed = kind.input.safeParse(input);
  const body = parsed.success
    ? kind.instructions(parsed.data, fence)
    : `${kind.description}\n\nInput (it no longer matches the kind's schema), as JSON:\n\n${fence.wrap(JSON.stringify(input, null, 2))}`;
  return fence.used ? `${fence.notice()}\n\n${body}` : body;
}
