import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from "@/lib/events/signature";

const secret = "whsec_test-secret";
const body = '{"type":"order.created","id":42}';
const now = new Date("2026-11-21T12:00:00Z");
const t = Math.floor(now.getTime() / 1000);

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isAppError(error) && error.status === 401) return error.message;
    throw error;
  }
  throw new Error("expected a 401");
}

describe("webhook signatures", () => {
  it("is hex HMAC-SHA256 of `<t>.<raw body>`, as the README documents", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(computeSignature(secret, t, body)).toBe(expected);
    expect(computeSignature(secret, t, Buffer.from(body))).toBe(expected);
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it("accepts a valid signature, and any of several v1 entries (sender-side rotation)", () => {
    expect(verifySignature({ header: signatureHeader(secret, body, t), secret, rawBody: body, toleranceSeconds: 300, now })).toEqual({ timestamp: t });
    const old = computeSignature("whsec_old", t, body);
    const header = `t=${t}, v1=${old}, v0=ignored, v1=${computeSignature(secret, t, body)}`;
    expect(() => verifySignature({ header, secret, rawBody: body, toleranceSeconds: 300, now })).not.toThrow();
  });

  it("refuses a signature made with another secret, or over another body, without revealing the expected one", () => {
    const expected = computeSignature(secret, t, body);
    const wrongSecret = refusal(() =>
      verifySignature({ header: signatureHeader("whsec_other", body, t), secret, rawBody: body, toleranceSeconds: 300, now }),
    );
    expect(wrongSecret).toMatch(/does not match/);
    expect(wrongSecret).not.toContain(expected);
    const tampered = refusal(() =>
      verifySignature({ header: signatureHeader(secret, body, t), secret, rawBody: body.replace("42", "43"), toleranceSeconds: 300, now }),
    );
    expect(tampered).toMatch(/does not match/);
  });

  it("refuses timestamps outside the tolerance window, past and future, even when correctly signed", () => {
    const old = t - 301;
    expect(refusal(() => verifySignature({ header: signatureHeader(secret, body, old), secret, rawBody: body, toleranceSeconds: 300, now }))).toMatch(
      /301 s old, outside the 300-second tolerance window/,
    );
    const future = t + 400;
    expect(refusal(() => verifySignature({ header: signatureHeader(secret, body, future), secret, rawBody: body, toleranceSeconds: 300, now }))).toMatch(
      /400 s in the future/,
    );
    // At the edge it is still accepted.
    expect(() => verifySignature({ header: signatureHeader(secret, body, t - 300), secret, rawBody: body, toleranceSeconds: 300, now })).not.toThrow();
  });

  it("refuses a missing or malformed header", () => {
    expect(refusal(() => parseSignatureHeader(null))).toMatch(/header is missing/);
    expect(refusal(() => parseSignatureHeader(""))).toMatch(/header is missing/);
    const sig = computeSignature(secret, t, body);
    for (const header of [
      sig, // no t=
      `t=${t}`, // no v1
      `t=abc,v1=${sig}`,
      `t=${t},t=${t},v1=${sig}`,
      `t=${t},v1=${sig.slice(0, 63)}`,
      `t=${t},v1=${"z".repeat(64)}`,
      `t=${t},v1=${sig},garbage`,
      `t=${t},${Array.from({ length: 9 }, () => `v1=${sig}`).join(",")}`,
    ]) {
      expect(refusal(() => parseSignatureHeader(header)), header).toMatch(/malformed/);
    }
  });
});
