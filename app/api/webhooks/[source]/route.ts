import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { readRawBody } from "@/lib/events/read-raw-body";
import { receiveWebhook } from "@/lib/events/receive-webhook";
import { recordWebhookReceived } from "@/lib/observability/observe";
import { DELIVERY_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER } from "@/lib/events/signature";
import { STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER, STANDARD_TIMESTAMP_HEADER } from "@/lib/events/standard-signature";
import { STANDARD_SCHEME } from "@/lib/events/signing-examples";
import { duplicateSchema, receivedSchema } from "@/lib/events/api-schemas";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";

// Public (the proxy lets /api/webhooks/* through): every delivery carries its own HMAC
// signature, checked by receiveWebhook before anything is stored.
export const POST = handle<{ source: string }>({
  auth: "public",
  openapi: {
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
      "200": jsonResponse("This delivery id was received before; nothing is dispatched again", duplicateSchema),
      "202": jsonResponse("Stored; the subscribed pipelines run in the background", receivedSchema),
      "400": "BadRequest",
      "401": errorResponse("The signature is missing, wrong or too old; nothing was stored"),
      "409": errorResponse("Legacy scheme: this signature was already used by another delivery (a replay); nothing was stored"),
      "404": errorResponse("There is no enabled source with this name"),
      "413": "PayloadTooLarge",
      "503": errorResponse("The source cannot verify deliveries right now; nothing was stored"),
    },
  },
}, async ({ req, params, requestId }) => {
  const rawBody = await readRawBody(req);
  const result = await receiveWebhook({ sourceName: params.source, rawBody, headers: req.headers, requestId });
  // Counted once verified (the source exists); a rejected delivery is a 4xx in pa_http_requests_total.
  recordWebhookReceived(params.source, "duplicate" in result.body ? "duplicate" : result.body.status);
  return NextResponse.json(result.body, { status: result.status });
});
