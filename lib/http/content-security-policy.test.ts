import { describe, expect, it } from "vitest";
import { newNonce, pageContentSecurityPolicy } from "./content-security-policy";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));

describe("pageContentSecurityPolicy", () => {
  it("allows scripts only with this request's nonce (and what they load), never inline ones", () => {
    const policy = directives(pageContentSecurityPolicy({ nonce: "abc123==", dev: false }));
    expect(policy.get("script-src")).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("form-action")).toBe("'self'");
    expect(policy.get("connect-src")).toBe("'self'");
    expect(policy.get("base-uri")).toBe("'self'");
    expect(policy.get("default-src")).toBe("'self'");
  });

  it("adds eval only in development and the error-report host only when there is one", () => {
    const dev = directives(pageContentSecurityPolicy({ nonce: "n", dev: true, errorReportsTo: "https://key@o1.ingest.sentry.io/2" }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("connect-src")).toBe("'self' https://o1.ingest.sentry.io");
    const broken = directives(pageContentSecurityPolicy({ nonce: "n", dev: false, errorReportsTo: "not a url" }));
    expect(broken.get("connect-src")).toBe("'self'");
  });
});

describe("newNonce", () => {
  it("is 128 random bits, different every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
