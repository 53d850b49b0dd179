import { timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { AppError } from "@/lib/errors";
import { assertFresh } from "@/lib/events/signature";

// Standard Webhooks (https://www.standardwebhooks.com): the sender signs "<id>.<timestamp>.<body>"
// with HMAC-SHA256 under the source's secret and sends
//   webhook-id: <delivery id>   webhook-timestamp: <unix seconds>   webhook-signature: v1,<base64> [v1,<base64> …]
// Because the id is signed, a captured request cannot be replayed under a new delivery id. The
// `standardwebhooks` package computes the signature; the checks around it (each candidate in
// constant time, the source's own tolerance window, clear refusals) are ours.

export const STANDARD_ID_HEADER = "webhook-id";
export const STANDARD_TIMESTAMP_HEADER = "webhook-timestamp";
export const STANDARD_SIGNATURE_HEADER = "webhook-signature";

const MAX_SIGNATURES = 8;
const MAX_ID_LENGTH = 200;

/** The secret's key bytes: `whsec_` then base64 (base64url, which older secrets use, is read too). */
function webhookFor(secret: string): Webhook {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  if (key.length === 0) throw new AppError("unavailable", "The source's signing secret is empty");
  return new Webhook(new Uint8Array(key), { format: "raw" });
}

/** The `webhook-signature` value for a delivery (used by notify.send, the CLI and the tests). */
export function standardSignature(secret: string, id: string, timestamp: number, rawBody: string | Buffer): string {
  return webhookFor(secret).sign(id, new Date(timestamp * 1000), typeof rawBody === "string" ? rawBody : new Uint8Array(rawBody));
}

/** All three headers for a delivery signed now (or at `timestamp`). */
export function standardHeaders(secret: string, id: string, rawBody: string | Buffer, timestamp = Math.floor(Date.now() / 1000)) {
  return {
    [STANDARD_ID_HEADER]: id,
    [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
    [STANDARD_SIGNATURE_HEADER]: standardSignature(secret, id, timestamp, rawBody),
  };
}

export function isStandardDelivery(headers: Headers): boolean {
  return headers.has(STANDARD_SIGNATURE_HEADER);
}

type StandardVerifyOptions = { headers: Headers; secret: string; rawBody: Buffer; toleranceSeconds: number; now?: Date };

/** Throws a 401 unless one `v1` signature matches id, timestamp and body inside the window; returns the delivery id. */
export function verifyStandardSignature({ headers, secret, rawBody, toleranceSeconds, now = new Date() }: StandardVerifyOptions): { deliveryId: string; timestamp: number } {
  const id = headers.get(STANDARD_ID_HEADER)?.trim() ?? "";
  const stamp = headers.get(STANDARD_TIMESTAMP_HEADER)?.trim() ?? "";
  const candidates = (headers.get(STANDARD_SIGNATURE_HEADER) ?? "").split(" ").filter(Boolean);
  if (!id || id.length > MAX_ID_LENGTH || !/^\d{1,12}$/.test(stamp) || candidates.length === 0 || candidates.length > MAX_SIGNATURES) {
    throw new AppError(
      "unauthorized",
      `A Standard Webhooks delivery needs ${STANDARD_ID_HEADER} (1 to ${MAX_ID_LENGTH} characters), ${STANDARD_TIMESTAMP_HEADER} (unix seconds) and ${STANDARD_SIGNATURE_HEADER} (v1,<base64>)`,
    );
  }
  const timestamp = Number(stamp);
  const expected = Buffer.from(standardSignature(secret, id, timestamp, rawBody));
  let matched = false;
  for (const candidate of candidates) {
    const given = Buffer.from(candidate);
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) throw new AppError("unauthorized", "The signature does not match the delivery id, timestamp and body for this source's secret");
  assertFresh(timestamp, toleranceSeconds, now);
  return { deliveryId: id, timestamp };
}
