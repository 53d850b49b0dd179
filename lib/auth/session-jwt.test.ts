import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken } from "@/lib/auth/session-jwt";

// The session cookie is written by next-auth and read by decodeSessionToken: they must agree.
const secret = "a-test-secret-of-enough-length-0123456789";

describe("decodeSessionToken", () => {
  it("reads what next-auth wrote", async () => {
    const token = await encode({ token: { uid: "usr_1", sid: "s-1", sv: 2 }, secret });
    expect(await decodeSessionToken({ token, secret })).toMatchObject({ uid: "usr_1", sid: "s-1", sv: 2 });
    // The derived key is kept: a second read gives the same.
    expect(await decodeSessionToken({ token, secret })).toMatchObject({ uid: "usr_1" });
  });

  it("refuses a token under another secret, a tampered one and an expired one", async () => {
    const token = await encode({ token: { uid: "usr_1", sid: "s-1" }, secret });
    await expect(decodeSessionToken({ token, secret: `${secret}-other` })).rejects.toThrow();
    const parts = token.split(".");
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith("AA") ? "BB" : "AA");
    await expect(decodeSessionToken({ token: parts.join("."), secret })).rejects.toThrow();
    const expired = await encode({ token: { uid: "usr_1", sid: "s-1" }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow(/exp/);
  });

  it("reads no token as no session", async () => {
    expect(await decodeSessionToken({ token: undefined, secret })).toBeNull();
  });
});
