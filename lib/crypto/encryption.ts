import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { requireEncryptionKeys, type EncryptionKey } from "@/lib/config";
import { AppError } from "@/lib/errors";

// Secrets at rest (webhook signing secrets, OAuth tokens) are sealed with AES-256-GCM under the
// current key from ENCRYPTION_KEYS. The sealed form names its key id, so older keys keep
// decrypting after a rotation until everything is re-encrypted under the new one.
//   v1.<keyId>.<iv>.<tag>.<ciphertext>   (base64url parts)
// `context` is bound as additional authenticated data: a value sealed for one record cannot be
// pasted into another.

const VERSION = "v1";

function currentKey(keys: EncryptionKey[]): EncryptionKey {
  return keys[0]!;
}

export function encryptSecret(plaintext: string, context: string, keys = requireEncryptionKeys()): string {
  const { id, key } = currentKey(keys);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, id, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, context: string, keys = requireEncryptionKeys()): string {
  const [version, keyId, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
    throw new AppError("internal", "A stored secret is not in a readable format");
  }
  const entry = keys.find((k) => k.id === keyId);
  if (!entry) {
    throw new AppError("internal", `A stored secret is encrypted with key "${keyId}", which is not in ENCRYPTION_KEYS`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", entry.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError("internal", "A stored secret failed its integrity check (wrong key or tampered data)");
  }
}

/** The key id a sealed value was encrypted with. */
export function sealedKeyId(sealed: string): string | null {
  const [version, keyId] = sealed.split(".");
  return version === VERSION && keyId ? keyId : null;
}

/** True when the value is sealed under an older key and should be re-encrypted. */
export function needsReencryption(sealed: string, keys = requireEncryptionKeys()): boolean {
  return sealedKeyId(sealed) !== currentKey(keys).id;
}
