import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, needsReencryption, sealedKeyId } from "@/lib/crypto/encryption";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };

describe("secret encryption", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = encryptSecret("whsec_supersecret", "webhook_source:src_1", [k1]);
    expect(sealed).not.toContain("supersecret");
    expect(sealed.startsWith("v1.k1.")).toBe(true);
    expect(decryptSecret(sealed, "webhook_source:src_1", [k1])).toBe("whsec_supersecret");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", "c", [k1])).not.toBe(encryptSecret("same", "c", [k1]));
  });

  it("refuses a value moved to another record (context is authenticated)", () => {
    const sealed = encryptSecret("s", "webhook_source:src_1", [k1]);
    expect(() => decryptSecret(sealed, "webhook_source:src_2", [k1])).toThrow(/integrity/);
  });

  it("refuses tampered ciphertext", () => {
    const parts = encryptSecret("secret", "c", [k1]).split(".");
    const bytes = Buffer.from(parts[4]!, "base64url");
    bytes[0] = bytes[0]! ^ 1;
    parts[4] = bytes.toString("base64url");
    expect(() => decryptSecret(parts.join("."), "c", [k1])).toThrow(/integrity/);
  });

  it("keeps decrypting with an older key after rotation, and says what needs re-encryption", () => {
    const old = encryptSecret("token", "c", [k1]);
    const keys = [k2, k1];
    expect(decryptSecret(old, "c", keys)).toBe("token");
    expect(needsReencryption(old, keys)).toBe(true);
    const fresh = encryptSecret("token", "c", keys);
    expect(sealedKeyId(fresh)).toBe("k2");
    expect(needsReencryption(fresh, keys)).toBe(false);
  });

  it("names a missing key id", () => {
    const sealed = encryptSecret("x", "c", [k1]);
    expect(() => decryptSecret(sealed, "c", [k2])).toThrow(/key "k1"/);
  });
});
