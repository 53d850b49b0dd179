import { createHash } from "node:crypto";
import { dispatchBackground } from "@/inngest/dispatch";
import { Prisma } from "@/generated/prisma/client";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import * as events from "@/lib/events/events.repository";
import { computeSignature, DELIVERY_HEADER, DEFAULT_TOLERANCE_SECONDS, EVENT_TYPE_HEADER, SIGNATURE_HEADER, verifySignature } from "@/lib/events/signature";
import { isStandardDelivery, STANDARD_ID_HEADER, STANDARD_TIMESTAMP_HEADER, verifyStandardSignature } from "@/lib/events/standard-signature";
import { openSigningSecret } from "@/lib/events/source-secret";
import { findSealedSecret, findSourceByName, type SourceRow } from "@/lib/events/sources.repository";
import { SOURCE_NAME_PATTERN } from "@/lib/events/source-name";
import { findUnstorable } from "@/lib/http/storable-input";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";

// Verify → persist → dispatch. Nothing is stored until the signature checks out; the event is
// committed before the sender gets its 2xx; the pipelines run in the background afterwards.
//
//   unknown or disabled source      404 (the same answer, so source names cannot be probed)
//   secret missing or unreadable    503 (fail closed: never an unchecked delivery)
//   signature missing/bad/stale     401
//   no x-pa-delivery header         400
//   body not JSON / not an object   202, stored as "invalid", never dispatched (a retry would not help)
//   delivery id seen before         200 { duplicate: true }, nothing dispatched again
//   otherwise                       202 { eventId, status: "received" }

const MAX_DELIVERY_ID = 200;
const MAX_EVENT_TYPE = 200;
/** Headers kept with the event; the signature is not (it is checked, and useless afterwards). */
const KEPT_HEADERS = ["content-type", "user-agent", EVENT_TYPE_HEADER, DELIVERY_HEADER, STANDARD_ID_HEADER, STANDARD_TIMESTAMP_HEADER];

export type ReceiveWebhookRequest = {
  sourceName: string;
  rawBody: Buffer;
  headers: Headers;
  requestId: string;
  now?: Date;
};

export type ReceiveWebhookResult =
  | { status: 202; body: { eventId: string; status: "received" | "invalid"; error?: string; requestId: string } }
  | { status: 200; body: { duplicate: true; eventId: string; status: string; requestId: string } };

const notFound = (name: string) => new AppError("not_found", `There is no webhook source named "${name}"`);

async function findReceivingSource(name: string): Promise<SourceRow> {
  const log = getLogger({ component: "webhooks", source: name });
  if (!SOURCE_NAME_PATTERN.test(name)) throw notFound(name);
  const source = await findSourceByName(autocommit(), name);
  if (!source) {
    log.warn("delivery for an unknown source refused");
    throw notFound(name);
  }
  if (!source.enabled) {
    log.warn("delivery for a disabled source refused");
    throw notFound(name);
  }
  return source;
}

async function signingSecret(source: SourceRow): Promise<string> {
  const log = getLogger({ component: "webhooks", source: source.name });
  const unavailable = new AppError("unavailable", `The webhook source "${source.name}" cannot verify deliveries right now; nothing was stored`);
  const sealed = await findSealedSecret(autocommit(), source.id);
  if (!sealed) {
    log.error("the source has no signing secret; refusing deliveries (rotate its secret)");
    throw unavailable;
  }
  try {
    return openSigningSecret(source.id, sealed);
  } catch (error) {
    log.error({ reason: error instanceof Error ? error.message : String(error) }, "the source's signing secret cannot be decrypted; refusing deliveries");
    throw unavailable;
  }
}

function deliveryIdOf(headers: Headers): string {
  const value = headers.get(DELIVERY_HEADER)?.trim() ?? "";
  if (value.length === 0 || value.length > MAX_DELIVERY_ID) {
    throw new AppError(
      "bad_request",
      `The ${DELIVERY_HEADER} header is required: a unique id of 1 to ${MAX_DELIVERY_ID} characters for this delivery, the same on every retry of it`,
    );
  }
  return value;
}

/**
 * Standard Webhooks when the sender uses it (the delivery id is signed); otherwise the legacy
 * x-pa-signature, whose accepted signature is remembered so it cannot be replayed under another id.
 */
function verifyDelivery(headers: Headers, secret: string, rawBody: Buffer, toleranceSeconds: number, now?: Date) {
  if (isStandardDelivery(headers)) {
    const { deliveryId } = verifyStandardSignature({ headers, secret, rawBody, toleranceSeconds, now });
    return { deliveryId, signatureDigest: null };
  }
  const { timestamp } = verifySignature({ header: headers.get(SIGNATURE_HEADER), secret, rawBody, toleranceSeconds, now });
  const signatureDigest = createHash("sha256").update(computeSignature(secret, timestamp, rawBody)).digest("hex");
  return { deliveryId: deliveryIdOf(headers), signatureDigest };
}

type Parsed = { payload: Record<string, unknown> | null; eventType: string | null; problem: string | null };

function parsePayload(text: string, headerType: string | null): Parsed {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { payload: null, eventType: headerType, problem: "The body is not valid JSON" };
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    const found = Array.isArray(payload) ? "an array" : payload === null ? "null" : `a ${typeof payload}`;
    return { payload: null, eventType: headerType, problem: `The body must be a JSON object, not ${found}` };
  }
  const object = payload as Record<string, unknown>;
  // jsonb cannot hold U+0000, a lone surrogate or thousands of levels: keep the raw body, refuse the parsed form.
  const unstorable = findUnstorable(object);
  if (unstorable) {
    const where = unstorable.path ? `The payload's field "${unstorable.path}"` : "The payload";
    return { payload: null, eventType: headerType, problem: `${where} ${unstorable.problem}` };
  }
  const bodyType = object.type;
  if (headerType) return { payload: object, eventType: headerType, problem: null };
  if (bodyType === undefined) return { payload: object, eventType: null, problem: null };
  if (typeof bodyType !== "string" || bodyType.trim().length === 0 || bodyType.length > MAX_EVENT_TYPE) {
    return { payload: object, eventType: null, problem: `The payload's "type" must be a string of 1 to ${MAX_EVENT_TYPE} characters` };
  }
  return { payload: object, eventType: bodyType.trim(), problem: null };
}

function headerEventType(headers: Headers): string | null {
  const value = headers.get(EVENT_TYPE_HEADER)?.trim();
  if (!value) return null;
  if (value.length > MAX_EVENT_TYPE) throw new AppError("bad_request", `The ${EVENT_TYPE_HEADER} header must be at most ${MAX_EVENT_TYPE} characters`);
  return value;
}

function keptHeaders(headers: Headers, requestId: string): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value.slice(0, 500);
  }
  kept["x-request-id"] = requestId;
  return kept;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function receiveWebhook(request: ReceiveWebhookRequest): Promise<ReceiveWebhookResult> {
  const { headers, requestId, rawBody } = request;
  const source = await findReceivingSource(request.sourceName);
  const secret = await signingSecret(source);
  const { deliveryId, signatureDigest } = verifyDelivery(headers, secret, rawBody, source.toleranceSeconds || DEFAULT_TOLERANCE_SECONDS, request.now);
  const text = rawBody.toString("utf8");
  const parsed = parsePayload(text, headerEventType(headers));
  const log = getLogger({ component: "webhooks", source: source.name, deliveryId });

  let stored: { id: string; status: string };
  try {
    stored = await events.insertEvent(autocommit(), {
      id: newId("evt"),
      sourceId: source.id,
      deliveryId,
      eventType: parsed.eventType,
      headers: keptHeaders(headers, requestId),
      rawBody: text.replaceAll("\u0000", "\uFFFD").toWellFormed(),
      payload: parsed.payload ? (parsed.payload as Prisma.InputJsonValue) : Prisma.JsonNull,
      status: parsed.problem ? "invalid" : "received",
      error: parsed.problem ? { code: "invalid_payload", message: parsed.problem } : Prisma.JsonNull,
      signatureDigest,
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await events.findEventByDelivery(autocommit(), source.id, deliveryId);
    if (!existing) {
      log.warn("a signature already used by another delivery was refused (replay)");
      throw new AppError("conflict", "This signature was already used by another delivery; a replayed request is refused. Sign each delivery anew, or use Standard Webhooks, which signs the delivery id");
    }
    log.info({ eventId: existing.id }, "duplicate delivery ignored");
    return { status: 200, body: { duplicate: true, eventId: existing.id, status: existing.status, requestId } };
  }

  if (parsed.problem) {
    log.warn({ eventId: stored.id, problem: parsed.problem }, "webhook stored as invalid; not dispatched");
    return { status: 202, body: { eventId: stored.id, status: "invalid", error: parsed.problem, requestId } };
  }
  // Committed: from here on the event cannot be lost; the sweep re-dispatches it if this stops.
  await dispatchBackground([{ name: "webhook/event.received", data: { eventId: stored.id } }]);
  await events.markEventDispatched(autocommit(), stored.id, new Date());
  log.info({ eventId: stored.id, eventType: parsed.eventType }, "webhook received");
  return { status: 202, body: { eventId: stored.id, status: "received", requestId } };
}
