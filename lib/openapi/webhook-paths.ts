import { z } from "zod";
import {
  eventDetailDtoSchema,
  eventSummaryDtoSchema,
  sourceDtoSchema,
  subscriptionDtoSchema,
} from "@/lib/events/dto";
import type { getWebhookEvent, listWebhookEvents } from "@/lib/events/list-events";
import { createSourceInput, updateSourceInput, type deleteWebhookSource, type SourceWithSecret } from "@/lib/events/manage-sources";
import { createSubscriptionInput, updateSubscriptionInput, type deleteWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { listEventsQuery } from "@/lib/events/list-events";
import type { ReceiveWebhookResult } from "@/lib/events/receive-webhook";
import { DELIVERY_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER } from "@/lib/events/signature";
import { STANDARD_SCHEME } from "@/lib/events/signing-examples";
import { STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER, STANDARD_TIMESTAMP_HEADER } from "@/lib/events/standard-signature";
import { SOURCE_NAME_PATTERN } from "@/lib/events/source-name";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, PathItem, Returned } from "@/lib/openapi/types";

// Webhook sources, their subscriptions, the events received, and the public receiving endpoint.

const sourceWithSecretSchema = z
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

const eventListSchema = z.object({
  events: z.array(eventSummaryDtoSchema).describe("Newest first"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
});
const eventResponseSchema = z.object({ event: eventDetailDtoSchema });
const sourceListSchema = z.object({ sources: z.array(sourceDtoSchema) });
const sourceResponseSchema = z.object({ source: sourceDtoSchema });
const sourceDeletedSchema = z.object({ deleted: z.literal(true), name: z.string() });
const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionDtoSchema) });
const subscriptionResponseSchema = z.object({ subscription: subscriptionDtoSchema });
const subscriptionDeletedSchema = z.object({ deleted: z.literal(true), id: z.string() });

const requestId = z.string();
const receivedSchema = z.object({
  eventId: z.string(),
  status: z.enum(["received", "invalid"]).describe('"invalid": stored but never dispatched (the body is not a JSON object)'),
  error: z.string().optional(),
  requestId,
});
const duplicateSchema = z.object({ duplicate: z.literal(true), eventId: z.string(), status: z.string(), requestId });

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

export function buildWebhookPaths(schemas: SchemaComponents): Record<string, PathItem> {
  const sourceName = pathParameter("name", "The source's name", { type: "string", pattern: SOURCE_NAME_PATTERN.source });
  const eventId = pathParameter("id", "The event's id (evt_…)", { type: "string" });
  const subscriptionId = pathParameter("id", "The subscription's id (sub_…)", { type: "string" });
  const source = schemas.convert(sourceResponseSchema, "output");
  const withSecret = schemas.convert(sourceWithSecretSchema, "output");
  const subscription = schemas.convert(subscriptionResponseSchema, "output");
  const event = schemas.convert(eventResponseSchema, "output");
  const notFound = ref("responses", "NotFound");
  const badRequest = ref("responses", "BadRequest");
  const conflict = ref("responses", "Conflict");

  return {
    "/api/webhooks/{source}": {
      post: operation("public", {
        operationId: "receiveWebhook",
        summary: "Deliver an event from a sender",
        description:
          "No session: each delivery is signed with the source's secret. The signature covers the exact bytes of the body. " +
          "Nothing is stored unless the signature checks out; the event is stored before the answer, and the subscribed " +
          "pipelines run in the background afterwards.",
        tags: ["webhooks"],
        parameters: [
          { name: "source", in: "path", required: true, description: "The source's name", schema: { type: "string" } },
          {
            name: STANDARD_ID_HEADER,
            in: "header",
            required: false,
            description: "Standard Webhooks: a unique id for this delivery, the same on every retry of it (1–200 characters); signed",
            schema: { type: "string", minLength: 1, maxLength: 200 },
          },
          {
            name: STANDARD_TIMESTAMP_HEADER,
            in: "header",
            required: false,
            description: "Standard Webhooks: unix seconds when the delivery was signed",
            schema: { type: "string", pattern: "^[0-9]+$" },
          },
          {
            name: STANDARD_SIGNATURE_HEADER,
            in: "header",
            required: false,
            description: STANDARD_SCHEME + ". Required unless the legacy x-pa-signature is sent.",
            schema: { type: "string" },
          },
          {
            name: SIGNATURE_HEADER,
            in: "header",
            required: false,
            description: 'Legacy scheme, accepted while senders migrate: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. The delivery id is not signed, so a signature is accepted once.',
            schema: { type: "string" },
          },
          {
            name: DELIVERY_HEADER,
            in: "header",
            required: false,
            description: "Legacy scheme only: a unique id for this delivery, the same on every retry of it (1–200 characters)",
            schema: { type: "string", minLength: 1, maxLength: 200 },
          },
          {
            name: EVENT_TYPE_HEADER,
            in: "header",
            required: false,
            description: 'The event type; without it, the payload\'s "type"',
            schema: { type: "string", maxLength: 200 },
          },
        ],
        requestBody: jsonBody({ type: "object", description: "The event: any JSON object, at most 1 MB" }),
        responses: {
          "200": jsonResponse("This delivery id was received before; nothing is dispatched again", schemas.convert(duplicateSchema, "output")),
          "202": jsonResponse("Stored; the subscribed pipelines run in the background", schemas.convert(receivedSchema, "output")),
          "400": badRequest,
          "401": jsonResponse("The signature is missing, wrong or too old; nothing was stored", ref("schemas", "Error")),
          "409": jsonResponse("Legacy scheme: this signature was already used by another delivery (a replay); nothing was stored", ref("schemas", "Error")),
          "404": jsonResponse("There is no enabled source with this name", ref("schemas", "Error")),
          "413": ref("responses", "PayloadTooLarge"),
          "503": jsonResponse("The source cannot verify deliveries right now; nothing was stored", ref("schemas", "Error")),
        },
      }),
    },
    "/api/webhook-sources": {
      get: operation("session", {
        operationId: "listWebhookSources",
        summary: "List webhook sources with their subscriptions",
        tags: ["webhooks"],
        responses: { "200": jsonResponse("Every source", schemas.convert(sourceListSchema, "output")) },
      }),
      post: operation("session", {
        operationId: "createWebhookSource",
        summary: "Create a webhook source",
        description: "Answers with its signing secret: the only time it is shown.",
        tags: ["webhooks"],
        requestBody: jsonBody(schemas.convert(createSourceInput, "input")),
        responses: { "201": jsonResponse("The source and its secret", withSecret), "400": badRequest, "409": conflict },
      }),
    },
    "/api/webhook-sources/{name}": {
      get: operation("session", {
        operationId: "getWebhookSource",
        summary: "Get a webhook source with its subscriptions",
        tags: ["webhooks"],
        parameters: [sourceName],
        responses: { "200": jsonResponse("The source", source), "404": notFound },
      }),
      patch: operation("session", {
        operationId: "updateWebhookSource",
        summary: "Enable or disable a source, or change its description or tolerance",
        tags: ["webhooks"],
        parameters: [sourceName],
        requestBody: jsonBody(schemas.convert(updateSourceInput, "input")),
        responses: { "200": jsonResponse("The source", source), "400": badRequest, "404": notFound },
      }),
      delete: operation("session", {
        operationId: "deleteWebhookSource",
        summary: "Delete a source with its subscriptions and stored events (the runs stay)",
        tags: ["webhooks"],
        parameters: [sourceName],
        responses: { "200": jsonResponse("Deleted", schemas.convert(sourceDeletedSchema, "output")), "404": notFound },
      }),
    },
    "/api/webhook-sources/{name}/rotate-secret": {
      post: operation("session", {
        operationId: "rotateWebhookSourceSecret",
        summary: "Replace a source's signing secret",
        description: "The new secret is shown this once; the old one stops working at once.",
        tags: ["webhooks"],
        parameters: [sourceName],
        responses: { "200": jsonResponse("The source and its new secret", withSecret), "404": notFound },
      }),
    },
    "/api/webhook-sources/{name}/subscriptions": {
      get: operation("session", {
        operationId: "listWebhookSubscriptions",
        summary: "List a source's subscriptions",
        tags: ["webhooks"],
        parameters: [sourceName],
        responses: { "200": jsonResponse("The subscriptions", schemas.convert(subscriptionListSchema, "output")), "404": notFound },
      }),
      post: operation("session", {
        operationId: "createWebhookSubscription",
        summary: "Run a pipeline for a source's events",
        tags: ["webhooks"],
        parameters: [sourceName],
        requestBody: jsonBody(schemas.convert(createSubscriptionInput, "input")),
        responses: { "201": jsonResponse("The subscription", subscription), "400": badRequest, "404": notFound },
      }),
    },
    "/api/webhook-sources/{name}/subscriptions/{id}": {
      patch: operation("session", {
        operationId: "updateWebhookSubscription",
        summary: "Change a subscription's event type, pipeline, input template or enabled flag",
        tags: ["webhooks"],
        parameters: [sourceName, subscriptionId],
        requestBody: jsonBody(schemas.convert(updateSubscriptionInput, "input")),
        responses: { "200": jsonResponse("The subscription", subscription), "400": badRequest, "404": notFound },
      }),
      delete: operation("session", {
        operationId: "deleteWebhookSubscription",
        summary: "Delete a subscription with its dispatch records (the runs stay)",
        tags: ["webhooks"],
        parameters: [sourceName, subscriptionId],
        responses: { "200": jsonResponse("Deleted", schemas.convert(subscriptionDeletedSchema, "output")), "404": notFound },
      }),
    },
    "/api/webhook-events": {
      get: operation("session", {
        operationId: "listWebhookEvents",
        summary: "List received events, newest first",
        tags: ["webhooks"],
        parameters: queryParameters(schemas, listEventsQuery),
        responses: { "200": jsonResponse("A page of events", schemas.convert(eventListSchema, "output")), "400": badRequest },
      }),
    },
    "/api/webhook-events/{id}": {
      get: operation("session", {
        operationId: "getWebhookEvent",
        summary: "Get an event with its headers, body and dispatches",
        tags: ["webhooks"],
        parameters: [eventId],
        responses: { "200": jsonResponse("The event", event), "404": notFound },
      }),
    },
    "/api/webhook-events/{id}/retry": {
      post: operation("session", {
        operationId: "retryWebhookEvent",
        summary: "Dispatch a failed event again",
        description: "Failed dispatches run again in the background; succeeded ones never do. Poll GET /api/webhook-events/{id}.",
        tags: ["webhooks"],
        parameters: [eventId],
        responses: { "202": jsonResponse("The event, reopened", event), "404": notFound, "409": conflict },
      }),
    },
  };
}
