import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";

// The legacy webhook signature scheme (Stripe-style), still accepted while senders move to
// Standard Webhooks (standard-signature.ts), which also signs the delivery id:
//   x-pa-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…]
// The timestamp is signed with the body, so a captured request cannot be replayed outside the
// tolerance window. Several v1 entries are accepted so a sender can sign with its old and new
// secret while it rotates.

export const SIGNATURE_HEADER = "x-pa-signature";
export const DELIVERY_HEADER = "x-pa-delivery";
export const EVENT_TYPE_HEADER = "x-pa-event";
export const DEFAULT_TOLERANCE_SECONDS = 300;

const MAX_SIGNATURES = 8;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** hex HMAC-SHA256(secret, "<t>.<raw body>") over the body's bytes as sent. */
export function computeSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac("sha256", secret).update(`${timestamp}.`, "utf8").update(rawBody).digest("hex");
}

/** The header value a sender puts on a request (also used by the CLI and the tests). */
export function signatureHeader(secret: string, rawBody: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

export type ParsedSignature = { timestamp: number; signatures: Buffer[] };

const MALFORMED = `The ${SIGNATURE_HEADER} header is malformed; expected t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`;

/** Parses the header; unknown schemes (v0, v2…) are ignored so senders can add newer ones. */
export function parseSignatureHeader(header: string | null): ParsedSignature {
  if (!header || !header.trim()) {
    throw new AppError("unauthorized", `The ${SIGNATURE_HEADER} header is missing; every delivery must be signed`);
  }
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator <= 0) throw new AppError("unauthorized", MALFORMED);
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === "t") {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) throw new AppError("unauthorized", MALFORMED);
      timestamp = Number(value);
    } else if (key === "v1") {
      if (!HEX_SHA256.test(value)) throw new AppError("unauthorized", MALFORMED);
      signatures.push(Buffer.from(value, "hex"));
    }
  }
  if (timestamp === null || signatures.length === 0 || signatures.length > MAX_SIGNATURES) {
    throw new AppError("unauthorized", MALFORMED);
  }
  return { timestamp, signatures };
}

export type VerifyOptions = {
  header: string | null;
  secret: string;
  rawBody: string | Buffer;
  toleranceSeconds: number;
  now?: Date;
};

/**
 * Throws a 401 unless one of the header's v1 signatures matches and its timestamp is within the
 * tolerance window (in the past or the future). The expected value is never revealed.
 */
export function verifySignature({ header, secret, rawBody, toleranceSeconds, now = new Date() }: VerifyOptions): { timestamp: number } {
  const { timestamp, signatures } = parseSignatureHeader(header);
  const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), "hex");
  // Every candidate is compared (no early exit), each in constant time on equal-length buffers.
  let matched = false;
  for (const candidate of signatures) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) throw new AppError("unauthorized", "The signature does not match the body and timestamp for this source's secret");
  assertFresh(timestamp, toleranceSeconds, now);
  return { timestamp };
}

/** Throws a 401 when the signed timestamp is outside the tolerance window, either way. */
export function assertFresh(timestamp: number, toleranceSeconds: number, now: Date): void {
  const skew = Math.floor(now.getTime() / 1000) - timestamp;
  if (Math.abs(skew) > toleranceSeconds) {
    const direction = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
    throw new AppError(
      "unauthorized",
      `The signature timestamp is ${direction}, outside the ${toleranceSeconds}-second tolerance window; sign each delivery when you send it (and check the sender's clock)`,
    );
  }
}
