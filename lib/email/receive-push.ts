import { z } from "zod";
import { dispatchBackground } from "@/inngest/dispatch";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import { findAccountByAddress } from "./accounts.repository";
import { insertNotification, type NotificationStatus } from "./notifications.repository";
import { verifyPushToken } from "./push-verify";

// Gmail push (users.watch → Pub/Sub → this endpoint): verify → persist → dispatch. Nothing is
// stored until the Google-signed token checks out; the notification is committed before Pub/Sub
// gets its 2xx; the sync runs in the background afterwards. Pub/Sub redelivers anything else.
//
//   GMAIL_PUSH_AUDIENCE / _SERVICE_ACCOUNT unset  503 (fail closed: never an unchecked push)
//   Google's certificates cannot be fetched        503
//   no or malformed Authorization: Bearer          401
//   token forged, expired, or for another          401
//     audience / issuer / service account
//   envelope is not Pub/Sub's or Gmail's shape     400
//   Pub/Sub message id seen before                 200 { duplicate: true }, nothing dispatched again
//   no connected account for the address           200 { status: "ignored" }, stored, never dispatched
//                                                  (a 2xx, so Pub/Sub does not redeliver it forever)
//   otherwise                                      202 { notificationId, status: "received" }

const MAX_MESSAGE_ID = 200;

// Gmail's payload: historyId arrives as a JSON number, but a string of digits is accepted too.
const gmailPayloadSchema = z.object({
  emailAddress: z.email().max(320),
  historyId: z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,30}$/)]).transform(String),
});

// Pub/Sub's push envelope; it sends both camelCase and snake_case names for the message fields.
const envelopeSchema = z.object({
  message: z
    .object({
      data: z.string().min(1).regex(/^[A-Za-z0-9+/_-]+={0,2}$/, "must be base64"),
      messageId: z.string().min(1).max(MAX_MESSAGE_ID).optional(),
      message_id: z.string().min(1).max(MAX_MESSAGE_ID).optional(),
      // Informational only: an unreadable time is dropped rather than refused.
      publishTime: z.string().max(100).optional(),
      publish_time: z.string().max(100).optional(),
    })
    .refine((m) => m.messageId ?? m.message_id, { message: "messageId is required", path: ["messageId"] }),
  subscription: z.string().optional(),
});

export type GmailPush = { messageId: string; publishedAt: Date | null; emailAddress: string; historyId: string; subscription: string | null };

export type ReceivePushRequest = { headers: Headers; rawBody: Buffer; requestId: string };

export type ReceivePushResult =
  | { status: 202; body: { notificationId: string; status: "received"; requestId: string } }
  | { status: 200; body: { duplicate: true; notificationId: string; status: string; requestId: string } }
  | { status: 200; body: { notificationId: string; status: "ignored"; requestId: string } };

const badEnvelope = (problem: string) => new AppError("bad_request", `Not a Gmail push notification from Pub/Sub: ${problem}`);

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}` : "invalid";
}

/** Parses Pub/Sub's envelope and the Gmail payload in its base64 `message.data`. */
export function parsePushEnvelope(rawBody: Buffer): GmailPush {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw badEnvelope("the body is not JSON");
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw badEnvelope(`the envelope is invalid (${describeIssue(envelope.error)})`);
  const { message, subscription } = envelope.data;

  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(message.data, "base64").toString("utf8"));
  } catch {
    throw badEnvelope("message.data is not base64-encoded JSON");
  }
  const payload = gmailPayloadSchema.safeParse(data);
  if (!payload.success) throw badEnvelope(`message.data is not Gmail's { emailAddress, historyId } (${describeIssue(payload.error)})`);

  const publishedAt = new Date(message.publishTime ?? message.publish_time ?? NaN);
  return {
    messageId: (message.messageId ?? message.message_id)!,
    publishedAt: Number.isNaN(publishedAt.getTime()) ? null : publishedAt,
    emailAddress: payload.data.emailAddress.trim().toLowerCase(),
    historyId: payload.data.historyId,
    subscription: subscription ?? null,
  };
}

export async function receivePush(request: ReceivePushRequest): Promise<ReceivePushResult> {
  const { requestId } = request;
  // First, before anything is read into the database. The token itself is never logged.
  const signer = await verifyPushToken(request.headers.get("authorization"));
  const push = parsePushEnvelope(request.rawBody);
  const log = getLogger({ component: "gmail-push", pubsubMessageId: push.messageId });

  const account = await findAccountByAddress(autocommit(), push.emailAddress);
  const active = account?.status === "connected";
  const status: NotificationStatus = active ? "received" : "ignored";
  const { inserted, notification } = await insertNotification(autocommit(), {
    id: newId("gpn"),
    pubsubMessageId: push.messageId,
    emailAddress: push.emailAddress,
    historyId: push.historyId,
    accountId: account?.id ?? null,
    status,
    publishedAt: push.publishedAt,
  });

  if (!inserted) {
    log.info({ notificationId: notification.id }, "duplicate Gmail push ignored");
    return { status: 200, body: { duplicate: true, notificationId: notification.id, status: notification.status, requestId } };
  }
  if (!active) {
    log.warn({ notificationId: notification.id, emailAddress: push.emailAddress, accountStatus: account?.status ?? null }, "Gmail push for an address with no connected account; ignored");
    return { status: 200, body: { notificationId: notification.id, status: "ignored", requestId } };
  }
  // Committed: from here on the notification cannot be lost; a sweep re-dispatches it if this stops.
  await dispatchBackground([{ name: "gmail/notification.received", data: { notificationId: notification.id } }]);
  log.info({ notificationId: notification.id, accountId: account.id, historyId: push.historyId, signer: signer.email }, "Gmail push received");
  return { status: 202, body: { notificationId: notification.id, status: "received", requestId } };
}
