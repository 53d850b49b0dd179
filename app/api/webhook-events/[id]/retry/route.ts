import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { retryWebhookEvent } from "@/lib/events/retry-event";
import { eventResponseSchema } from "@/lib/events/api-schemas";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";

/** 202: the event is dispatched again in the background; poll GET /api/webhook-events/<id>. */
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "retryWebhookEvent",
    summary: "Dispatch a failed or dead event again",
    description:
      "Failed dispatches run again in the background; succeeded ones never do. Works on dead events (out of automatic retries); " +
      "should it fail again, its automatic retries start over. Poll GET /api/webhook-events/{id}.",
    tags: ["webhooks"],
    parameters: [pathParameter("id", "The event's id (evt_…)", { type: "string" })],
    responses: { "202": jsonResponse("The event, reopened", eventResponseSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params }) =>
  NextResponse.json({ event: await retryWebhookEvent(params.id) }, { status: 202 }),
);
