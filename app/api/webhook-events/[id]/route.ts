import { handle } from "@/lib/http/handler";
import { getWebhookEvent } from "@/lib/events/list-events";
import { eventResponseSchema } from "@/lib/events/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

export const GET = handle<{ id: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getWebhookEvent",
    summary: "Get an event with its headers, body and dispatches",
    tags: ["webhooks"],
    parameters: [pathParameter("id", "The event's id (evt_…)", { type: "string" })],
    responses: { "200": jsonResponse("The event", eventResponseSchema), "404": "NotFound" },
  },
}, async ({ params }) => ({ event: await getWebhookEvent(params.id) }));
