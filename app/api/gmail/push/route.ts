import { NextResponse } from "next/server";
import { readRawBody } from "@/lib/events/read-raw-body";
import { handle } from "@/lib/http/handler";
import { receivePush } from "@/lib/email/receive-push";
import { errorResponse, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { pushAnswerSchema } from "@/lib/email/api-schemas";

// Public (the proxy lets /api/gmail/push through): Pub/Sub signs every push with a Google OIDC
// token, which receivePush verifies before anything is stored.
export const POST = handle({
  auth: "public",
  openapi: {
    operationId: "receiveGmailPush",
    summary: "Gmail push notification from a Pub/Sub push subscription",
    description:
      "No session: the request must carry the subscription's Google-signed OIDC token (`Authorization: Bearer …`) with " +
      "issuer accounts.google.com, audience GMAIL_PUSH_AUDIENCE and the verified email GMAIL_PUSH_SERVICE_ACCOUNT. " +
      "Nothing is stored otherwise. A verified notification is stored once per Pub/Sub message id, then an incremental " +
      "sync of the mailbox runs in the background.",
    tags: ["email"],
    requestBody: jsonBody({
      type: "object",
      description: 'Pub/Sub\'s push envelope: { message: { data: base64 of {"emailAddress","historyId"}, messageId, publishTime }, subscription }',
    }),
    responses: {
      "200": jsonResponse("A repeat of a stored Pub/Sub message, or an address that is not connected (stored as ignored)", pushAnswerSchema),
      "202": jsonResponse("Stored; the mailbox syncs in the background", pushAnswerSchema),
      "400": "BadRequest",
      "401": errorResponse("The OIDC token is missing, forged, expired or not the configured subscription's; nothing was stored"),
      "503": errorResponse("Push is not configured (GMAIL_PUSH_AUDIENCE, GMAIL_PUSH_SERVICE_ACCOUNT) or Google's certificates cannot be fetched; nothing was stored"),
    },
  },
}, async ({ req, requestId }) => {
  const rawBody = await readRawBody(req);
  const result = await receivePush({ headers: req.headers, rawBody, requestId });
  return NextResponse.json(result.body, { status: result.status });
});
