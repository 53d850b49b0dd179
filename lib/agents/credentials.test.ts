import { describe, expect, it } from "vitest";
import { hashSecret, newAccessToken, newClientSecret, secretMatchesHash } from "@/lib/agents/credentials";

describe("agent credentials", () => {
  it("are random, prefixed, and verified against their hash only", () => {
    const a = newClientSecret();
    const b = newClientSecret();
    expect(a).not.toBe(b);
    expect(newAccessToken()).toMatch(/^pa_at_[A-Za-z0-9_-]{43}$/);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatchesHash(a, hashSecret(a))).toBe(true);
    expect(secretMatchesHash(b, hashSecret(a))).toBe(false);
    expect(secretMatchesHash(a, "not-hex")).toBe(false);
  });
});
