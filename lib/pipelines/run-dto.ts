import { z } from "zod";
import type { RunRow } from "@/lib/pipelines/runs.repository";

// The shape of a run in API responses (and the OpenAPI document).

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const RUN_TRIGGERS = ["api", "dashboard", "chat", "schedule", "event", "agent", "cli"] as const;
export const ACTOR_TYPES = ["user", "agent", "schedule", "event", "system"] as const;

export const runErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const runDtoSchema = z
  .object({
    id: z.string().describe("run_… (time-ordered)"),
    pipeline: z.string(),
    status: z.enum(RUN_STATUSES),
    trigger: z.enum(RUN_TRIGGERS),
    input: z.unknown(),
    output: z.unknown().nullable(),
    error: runErrorSchema.nullable(),
    actor: z.object({
      type: z.enum(ACTOR_TYPES),
      id: z.string().nullable(),
      label: z.string().nullable(),
      tokenId: z.string().nullable(),
    }),
    requestId: z.string().nullable(),
    idempotencyKey: z.string().nullable(),
    parentRunId: z.string().nullable(),
    conversationId: z.string().nullable(),
    workKey: z.string().nullable().describe("The logical work this run attempts (an event delivery, a schedule slot, …); the same on every retry"),
    attempt: z.number().int().describe("1 for the first run of its work key, 2 for the first retry, …"),
    timeoutMs: z.number().int(),
    queuedAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: "Run" });

export type RunDto = z.infer<typeof runDtoSchema>;

export function toRunDto(row: RunRow): RunDto {
  return {
    id: row.id,
    pipeline: row.pipeline,
    status: row.status,
    trigger: row.trigger,
    input: row.input,
    output: row.output,
    error: (row.error as RunDto["error"]) ?? null,
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel, tokenId: row.tokenId },
    requestId: row.requestId,
    idempotencyKey: row.idempotencyKey,
    parentRunId: row.parentRunId,
    conversationId: row.conversationId,
    workKey: row.workKey,
    attempt: row.attempt,
    timeoutMs: row.timeoutMs,
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
  };
}

export function isFinished(status: RunDto["status"]): boolean {
  return status !== "queued" && status !== "running";
}
