import { handle } from "@/lib/http/handler";
import { deleteWebhookSubscription, updateSubscriptionInput, updateWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { sourceName, subscriptionDeletedSchema, subscriptionId, subscriptionResponseSchema } from "@/lib/events/api-schemas";

type Params = { name: string; id: string };

/** Change the event type, pipeline, input template or enabled flag. */
export const PATCH = handle<Params>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "updateWebhookSubscription",
    summary: "Change a subscription's event type, pipeline, input template or enabled flag",
    tags: ["webhooks"],
    parameters: [sourceName, subscriptionId],
    requestBody: jsonBody(updateSubscriptionInput),
    responses: { "200": jsonResponse("The subscription", subscriptionResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body }) => ({
  subscription: await updateWebhookSubscription(params.id, await body(updateSubscriptionInput), params.name),
}));

export const DELETE = handle<Params>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "deleteWebhookSubscription",
    summary: "Delete a subscription with its dispatch records (the runs stay)",
    tags: ["webhooks"],
    parameters: [sourceName, subscriptionId],
    responses: { "200": jsonResponse("Deleted", subscriptionDeletedSchema), "404": "NotFound" },
  },
}, async ({ params }) => deleteWebhookSubscription(params.id, params.name));
