import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// The strings agents hold. All are 16–32 random bytes, so a fast hash is the right way to store
// them (no password stretching needed); prefixes make a leaked one recognisable at a glance.

export const CLIENT_ID_PREFIX = "pa_client_";
export const CLIENT_SECRET_PREFIX = "pa_secret_";
export const ACCESS_TOKEN_PREFIX = "pa_at_";
export const REFRESH_TOKEN_PREFIX = "pa_rt_";

function random(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

export function newClientId(): string {
  return `${CLIENT_ID_PREFIX}${random(16)}`;
}

export function newClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${random(32)}`;
}

export function newAccessToken(): string {
  return `${ACCESS_TOKEN_PREFIX}${random(32)}`;
}

export function newRefreshToken(): string {
  return `${REFRESH_TOKEN_PREFIX}${random(32)}`;
}

/** SHA-256 hex of a secret or token: what the database stores. */
export function hashSecret(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatchesHash(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
