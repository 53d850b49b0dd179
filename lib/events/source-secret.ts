import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/crypto/encryption";

// A source's signing secret: generated here, shown once (at creation and rotation), stored only
// sealed with AES-256-GCM and bound to the source's id, so a sealed value cannot be moved to
// another source.

export const SECRET_PREFIX = "whsec_";

/** `whsec_` + 32 random bytes in standard base64, the form Standard Webhooks libraries read. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

const contextFor = (sourceId: string) => `webhook_source:${sourceId}`;

export function sealSigningSecret(sourceId: string, secret: string): string {
  return encryptSecret(secret, contextFor(sourceId));
}

/** Throws when the value is missing, sealed under a key that is gone, or tampered with. */
export function openSigningSecret(sourceId: string, sealed: string): string {
  return decryptSecret(sealed, contextFor(sourceId));
}
