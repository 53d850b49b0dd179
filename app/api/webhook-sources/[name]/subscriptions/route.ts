import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { getWebhookSource } from "@/lib/events/manage-sources";
import { createSubscriptionInput, createWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { sourceName, subscriptionListSchema, subscriptionResponseSchema } from "@/lib/events/api-schemas";

export const GET = handle<{ name: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listWebhookSubscriptions",
    summary: "List a source's subscriptions",
    tags: ["webhooks"],
    parameters: [sourceName],
    responses: { "200": jsonResponse("The subscriptions", subscriptionListSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({
  subscriptions: (await getWebhookSource(params.name)).subscriptions ?? [],
}));

export const POST = handle<{ name: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "createWebhookSubscription",
    summary: "Run a pipeline for a source's events",
    tags: ["webhooks"],
    parameters: [sourceName],
    requestBody: jsonBody(createSubscriptionInput),
    responses: { "201": jsonResponse("The subscription", subscriptionResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body }) =>
  NextResponse.json({ subscription: await createWebhookSubscription(params.name, await body(createSubscriptionInput)) }, { status: 201 }),
);
