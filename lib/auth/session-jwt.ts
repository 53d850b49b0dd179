import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams } from "next-auth/jwt";

// Reading the session cookie on every request (the proxy, then the handler or page) the way
// next-auth's own decode does — an A256GCM JWE under a key derived from AUTH_SECRET with HKDF —
// but deriving that key once per secret instead of on every call, which was the largest part of
// checking a session. next-auth itself still writes the cookie (sign-in) and reads it in its routes.

const derivedKeys = new Map<string, Uint8Array>();

/** next-auth 4's key for its JWTs: HKDF-SHA256 of the secret, empty salt, its fixed info string. */
export function sessionEncryptionKey(secret: string, salt = ""): Uint8Array {
  const cacheKey = `${salt}\u0000${secret}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Uint8Array(hkdfSync("sha256", secret, salt, info, 32));
    derivedKeys.set(cacheKey, key);
  }
  return key;
}

/** The `decode` for getToken: the same checks as next-auth's (JWE, expiry with 15 s tolerance). */
export async function decodeSessionToken({ token, secret, salt }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, sessionEncryptionKey(secret.toString(), salt), { clockTolerance: 15 });
  return payload as JWT;
}
