import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { autocommit } from "@/lib/db/transaction";
import { createWebhookSource } from "@/lib/events/manage-sources";
import { createWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { receiveWebhook } from "@/lib/events/receive-webhook";
import { signatureHeader } from "@/lib/events/signature";
import { standardHeaders } from "@/lib/events/standard-signature";

// Helpers for the webhook tests (not used by the app): a source with its secret, signed
// delivery requests for the route handler, and what the database then holds.

export async function makeSource(name: string, options: { toleranceSeconds?: number } = {}) {
  const created = await createWebhookSource({ name, toleranceSeconds: options.toleranceSeconds });
  return { name, id: created.source.id, secret: created.secret };
}

export async function subscribe(source: string, eventType: string, pipeline: string, inputTemplate: unknown = {}) {
  return createWebhookSubscription(source, { eventType, pipeline, inputTemplate });
}

export type Delivery = {
  body?: string;
  secret?: string;
  timestamp?: number;
  signature?: string | null;
  delivery?: string | null;
  eventType?: string;
  headers?: Record<string, string>;
  /** "standard" signs with Standard Webhooks (the delivery id is `webhook-id`); default: the legacy x-pa-signature. */
  scheme?: "legacy" | "standard";
};

/** A delivery as a sender makes it: signed with `secret` unless `signature` is given (null = none). */
export function webhookRequest(source: string, options: Delivery = {}): NextRequest {
  const body = options.body ?? JSON.stringify({ type: "ping", message: "hello" });
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "test-sender/1.0", ...options.headers };
  const delivery = options.delivery === undefined ? randomUUID() : options.delivery;
  if (options.scheme === "standard") {
    Object.assign(headers, standardHeaders(options.secret ?? "", delivery ?? "", body, options.timestamp));
  } else {
    const signature = options.signature === undefined ? signatureHeader(options.secret ?? "", body, options.timestamp) : options.signature;
    if (signature !== null) headers["x-pa-signature"] = signature;
    if (delivery !== null) headers["x-pa-delivery"] = delivery;
  }
  if (options.eventType) headers["x-pa-event"] = options.eventType;
  return new NextRequest(`http://localhost/api/webhooks/${source}`, { method: "POST", headers, body });
}

export const countEvents = () => autocommit().webhookEvent.count();
export const eventRuns = (eventId: string) =>
  autocommit().pipelineRun.findMany({ where: { actorType: "event", actorId: eventId }, orderBy: { id: "asc" } });
export const findEvent = (id: string) => autocommit().webhookEvent.findUniqueOrThrow({ where: { id }, include: { dispatches: true } });

/** The receiving service without the HTTP layer (lib tests may not import the route). */
export async function receive(source: string, options: Delivery = {}) {
  const req = webhookRequest(source, options);
  return receiveWebhook({ sourceName: source, rawBody: Buffer.from(await req.arrayBuffer()), headers: req.headers, requestId: `req_${randomUUID().replaceAll("-", "")}` });
}
