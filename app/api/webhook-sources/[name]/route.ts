import { handle } from "@/lib/http/handler";
import { deleteWebhookSource, getWebhookSource, updateSourceInput, updateWebhookSource } from "@/lib/events/manage-sources";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { sourceDeletedSchema, sourceName, sourceResponseSchema } from "@/lib/events/api-schemas";

export const GET = handle<{ name: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getWebhookSource",
    summary: "Get a webhook source with its subscriptions",
    tags: ["webhooks"],
    parameters: [sourceName],
    responses: { "200": jsonResponse("The source", sourceResponseSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({ source: await getWebhookSource(params.name) }));

/** Enable or disable, change the description or the tolerance window. */
export const PATCH = handle<{ name: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "updateWebhookSource",
    summary: "Enable or disable a source, or change its description or tolerance",
    tags: ["webhooks"],
    parameters: [sourceName],
    requestBody: jsonBody(updateSourceInput),
    responses: { "200": jsonResponse("The source", sourceResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body }) => ({
  source: await updateWebhookSource(params.name, await body(updateSourceInput)),
}));

export const DELETE = handle<{ name: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "deleteWebhookSource",
    summary: "Delete a source with its subscriptions and stored events (the runs stay)",
    tags: ["webhooks"],
    parameters: [sourceName],
    responses: { "200": jsonResponse("Deleted", sourceDeletedSchema), "404": "NotFound" },
  },
}, async ({ params }) => deleteWebhookSource(params.name));
