import { z } from "zod";
import type { DispatchRow, EventDetailRow, EventSummaryRow } from "@/lib/events/events.repository";
import type { SourceRow, SubscriptionRow } from "@/lib/events/sources.repository";

// The shapes of sources, subscriptions and events in API responses. A source's secret is not
// part of any of them: it is returned once, next to the source, by create and rotate.

export const EVENT_STATUSES = ["received", "dispatched", "processed", "failed", "invalid", "dead"] as const;
export const DISPATCH_STATUSES = ["pending", "running", "succeeded", "failed", "skipped"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

const errorSchema = z.object({ code: z.string(), message: z.string() }).catchall(z.unknown());

export const subscriptionDtoSchema = z
  .object({
    id: z.string().describe("sub_…"),
    sourceId: z.string(),
    eventType: z.string().describe('An exact event type, or "*" for every event of the source'),
    pipeline: z.string(),
    inputTemplate: z.unknown().describe('JSON object whose "$.path" strings are replaced by payload values'),
    enabled: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "WebhookSubscription" });

export const sourceDtoSchema = z
  .object({
    id: z.string().describe("src_…"),
    name: z.string().describe("The <source> in POST /api/webhooks/<source>"),
    description: z.string().nullable(),
    toleranceSeconds: z.number().int(),
    enabled: z.boolean(),
    endpoint: z.string().describe("Where senders POST their events"),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    subscriptions: z.array(subscriptionDtoSchema).optional(),
    counts: z.object({ subscriptions: z.number().int(), events: z.number().int() }).optional(),
  })
  .meta({ id: "WebhookSource" });

export const dispatchDtoSchema = z
  .object({
    id: z.string().describe("wdp_…"),
    subscriptionId: z.string(),
    pipeline: z.string(),
    eventType: z.string(),
    status: z.enum(DISPATCH_STATUSES),
    runId: z.string().nullable(),
    error: errorSchema.nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "WebhookDispatch" });

export const eventSummaryDtoSchema = z
  .object({
    id: z.string().describe("evt_… (time-ordered)"),
    source: z.string(),
    deliveryId: z.string(),
    eventType: z.string().nullable(),
    status: z.enum(EVENT_STATUSES),
    error: errorSchema.nullable(),
    attempts: z.number().int(),
    autoRetries: z.number().int().describe("Automatic retries started so far (see the README for the schedule)"),
    nextAttemptAt: z.iso.datetime().nullable().describe("When a failed event is retried on its own; null otherwise"),
    deadAt: z.iso.datetime().nullable().describe("When the event became dead: no more automatic retries, it waits for a manual one"),
    receivedAt: z.iso.datetime(),
    dispatchedAt: z.iso.datetime().nullable(),
    processedAt: z.iso.datetime().nullable(),
    runs: z.array(z.object({ dispatchId: z.string(), status: z.enum(DISPATCH_STATUSES), runId: z.string().nullable() })),
  })
  .meta({ id: "WebhookEventSummary" });

export const eventDetailDtoSchema = eventSummaryDtoSchema
  .extend({
    headers: z.record(z.string(), z.string()),
    rawBody: z.string(),
    payload: z.unknown().nullable(),
    dispatches: z.array(dispatchDtoSchema),
    retryable: z.boolean(),
  })
  .meta({ id: "WebhookEvent" });

export type SubscriptionDto = z.infer<typeof subscriptionDtoSchema>;
export type SourceDto = z.infer<typeof sourceDtoSchema>;
export type DispatchDto = z.infer<typeof dispatchDtoSchema>;
export type EventSummaryDto = z.infer<typeof eventSummaryDtoSchema>;
export type EventDetailDto = z.infer<typeof eventDetailDtoSchema>;

export const webhookPath = (name: string) => `/api/webhooks/${encodeURIComponent(name)}`;

export function toSubscriptionDto(row: SubscriptionRow): SubscriptionDto {
  return {
    id: row.id,
    sourceId: row.sourceId,
    eventType: row.eventType,
    pipeline: row.pipeline,
    inputTemplate: row.inputTemplate,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toSourceDto(
  row: SourceRow,
  appUrl: string,
  extra: { subscriptions?: SubscriptionRow[]; counts?: { subscriptions: number; events: number } } = {},
): SourceDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    toleranceSeconds: row.toleranceSeconds,
    enabled: row.enabled,
    endpoint: new URL(webhookPath(row.name), appUrl).toString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(extra.subscriptions ? { subscriptions: extra.subscriptions.map(toSubscriptionDto) } : {}),
    ...(extra.counts ? { counts: extra.counts } : {}),
  };
}

export function toDispatchDto(row: DispatchRow): DispatchDto {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    pipeline: row.subscription.pipeline,
    eventType: row.subscription.eventType,
    status: row.status,
    runId: row.runId,
    error: (row.error as DispatchDto["error"]) ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Failed and dead events, and ones stuck before finishing, can be dispatched again. */
export function isRetryable(status: EventStatus): boolean {
  return status === "failed" || status === "dead" || status === "received" || status === "dispatched";
}

export function toEventSummaryDto(row: EventSummaryRow): EventSummaryDto {
  return {
    id: row.id,
    source: row.source.name,
    deliveryId: row.deliveryId,
    eventType: row.eventType,
    status: row.status,
    error: (row.error as EventSummaryDto["error"]) ?? null,
    attempts: row.attempts,
    autoRetries: row.autoRetries,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    deadAt: row.deadAt?.toISOString() ?? null,
    receivedAt: row.receivedAt.toISOString(),
    dispatchedAt: row.dispatchedAt?.toISOString() ?? null,
    processedAt: row.processedAt?.toISOString() ?? null,
    runs: row.dispatches.map((d) => ({ dispatchId: d.id, status: d.status, runId: d.runId })),
  };
}

export function toEventDetailDto(row: EventDetailRow): EventDetailDto {
  return {
    ...toEventSummaryDto(row),
    headers: (row.headers ?? {}) as Record<string, string>,
    rawBody: row.rawBody,
    payload: row.payload,
    dispatches: row.dispatches.map(toDispatchDto),
    retryable: isRetryable(row.status),
  };
}
