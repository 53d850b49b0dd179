import { handle } from "@/lib/http/handler";
import { listEventsQuery, listWebhookEvents } from "@/lib/events/list-events";
import { eventListSchema } from "@/lib/events/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listWebhookEvents",
    summary: "List received events, newest first",
    tags: ["webhooks"],
    query: listEventsQuery,
    responses: { "200": jsonResponse("A page of events", eventListSchema), "400": "BadRequest" },
  },
}, async ({ query }) => listWebhookEvents(query(listEventsQuery)));
