import { z } from "zod";
import type { JobRow } from "@/lib/jobs/jobs.repository";

// The shape of a job in API responses (and the OpenAPI document). The lease id is left out: it is
// handed only to the agent that claims the job.

export const JOB_STATUSES = ["queued", "claimed", "succeeded", "failed", "dead", "cancelled"] as const;

export const jobDtoSchema = z
  .object({
    id: z.string().describe("job_… (time-ordered)"),
    kind: z.string(),
    status: z.enum(JOB_STATUSES),
    priority: z.number().int(),
    input: z.unknown(),
    result: z.unknown().nullable(),
    error: z.unknown().nullable(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    leaseMs: z.number().int(),
    maxRuntimeMs: z.number().int(),
    availableAt: z.iso.datetime(),
    leaseExpiresAt: z.iso.datetime().nullable(),
    claimedByAgent: z.string().nullable(),
    claimedByToken: z.string().nullable(),
    claimedAt: z.iso.datetime().nullable(),
    createdByRunId: z.string().nullable(),
    idempotencyKey: z.string().nullable(),
    resultRunId: z.string().nullable().describe("The run the kind's result handler started when the job succeeded"),
    finishedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "AgentJob" });

export type JobDto = z.infer<typeof jobDtoSchema>;

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

export function toJobDto(row: JobRow): JobDto {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    priority: row.priority,
    input: row.input,
    result: row.result ?? null,
    error: row.error ?? null,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    leaseMs: row.leaseMs,
    maxRuntimeMs: row.maxRuntimeMs,
    availableAt: iso(row.availableAt)!,
    leaseExpiresAt: iso(row.leaseExpiresAt),
    claimedByAgent: row.claimedByAgent,
    claimedByToken: row.claimedByToken,
    claimedAt: iso(row.claimedAt),
    createdByRunId: row.createdByRunId,
    idempotencyKey: row.idempotencyKey,
    resultRunId: row.resultRunId,
    finishedAt: iso(row.finishedAt),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

export const jobEventDtoSchema = z
  .object({
    id: z.string(),
    type: z.string().describe("created, claimed, heartbeat, completed, refused, failed, expired, dead, cancelled, retried, result_retried (the owner ran the result handler again)"),
    agentId: z.string().nullable(),
    tokenId: z.string().nullable(),
    attempt: z.number().int().nullable(),
    detail: z.unknown().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AgentJobEvent" });

export type JobEventDto = z.infer<typeof jobEventDtoSchema>;
