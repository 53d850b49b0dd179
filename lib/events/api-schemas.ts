import { z } from "zod";
import { eventDetailDtoSchema, eventSummaryDtoSchema, sourceDtoSchema, subscriptionDtoSchema } from "@/lib/events/dto";
import type { getWebhookEvent, listWebhookEvents } from "@/lib/events/list-events";
import { type deleteWebhookSource, type SourceWithSecret } from "@/lib/events/manage-sources";
import { type deleteWebhookSubscription } from "@/lib/events/manage-subscriptions";
import type { ReceiveWebhookResult } from "@/lib/events/receive-webhook";
import { SOURCE_NAME_PATTERN } from "@/lib/events/source-name";
import { pathParameter } from "@/lib/openapi/operations";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Webhook sources, their subscriptions, the events received, and the public receiving endpoint.

export const sourceWithSecretSchema = z
  .object({
    source: sourceDtoSchema,
    secret: z.string().describe("The signing secret, shown this once: store it with the sender now"),
    signing: z.object({
      header: z.string(),
      deliveryHeader: z.string(),
      eventTypeHeader: z.string(),
      scheme: z.string().describe("How the signature header is computed"),
      examples: z.object({ curl: z.string(), node: z.string() }).describe("Ready-to-paste senders"),
    }),
  })
  .meta({ id: "WebhookSourceWithSecret" });

export const eventListSchema = z.object({
  events: z.array(eventSummaryDtoSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
export const eventResponseSchema = z.object({ event: eventDetailDtoSchema });
export const sourceListSchema = z.object({ sources: z.array(sourceDtoSchema) });
export const sourceResponseSchema = z.object({ source: sourceDtoSchema });
export const sourceDeletedSchema = z.object({ deleted: z.literal(true), name: z.string() });
export const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionDtoSchema) });
export const subscriptionResponseSchema = z.object({ subscription: subscriptionDtoSchema });
export const subscriptionDeletedSchema = z.object({ deleted: z.literal(true), id: z.string() });

export const requestId = z.string();
export const receivedSchema = z.object({
  eventId: z.string(),
  status: z.enum(["received", "invalid"]).describe('"invalid": stored but never dispatched (the body is not a JSON object)'),
  error: z.string().optional(),
  requestId,
});
export const duplicateSchema = z.object({ duplicate: z.literal(true), eventId: z.string(), status: z.string(), requestId });

// Compile-time checks: each schema describes exactly what the code returns.

export type _WebhookShapeChecks = [
  Expect<Exactly<z.infer<typeof sourceWithSecretSchema>, SourceWithSecret>>,
  Expect<Exactly<z.infer<typeof eventListSchema>, Returned<typeof listWebhookEvents>>>,
  Expect<Exactly<z.infer<typeof eventResponseSchema>["event"], Returned<typeof getWebhookEvent>>>,
  Expect<Exactly<z.infer<typeof sourceDeletedSchema>, Returned<typeof deleteWebhookSource>>>,
  Expect<Exactly<z.infer<typeof subscriptionDeletedSchema>, Returned<typeof deleteWebhookSubscription>>>,
  Expect<Exactly<z.infer<typeof receivedSchema>, Extract<ReceiveWebhookResult, { status: 202 }>["body"]>>,
  Expect<Exactly<z.infer<typeof duplicateSchema>, Extract<ReceiveWebhookResult, { status: 200 }>["body"]>>,
];

// Parts of the routes' OpenAPI declarations that several routes share.

export const sourceName = pathParameter("name", "The source's name", { type: "string", pattern: SOURCE_NAME_PATTERN.source });

export const subscriptionId = pathParameter("id", "The subscription's id (sub_…)", { type: "string" });
