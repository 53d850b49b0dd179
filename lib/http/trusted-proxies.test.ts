import { describe, expect, it } from "vitest";
import { parseTrustedProxies, trustedProxiesProblem } from "./trusted-proxies";

describe("TRUSTED_PROXIES", () => {
  it("trusts no one when unset or empty", () => {
    for (const value of [undefined, "", " , "]) {
      const trusted = parseTrustedProxies(value);
      expect(["127.0.0.1", "::1", "10.0.0.1"].some((ip) => trusted.trusts(ip))).toBe(false);
    }
  });

  it("matches single addresses, IPv4 and IPv6 ranges and keywords", () => {
    const trusted = parseTrustedProxies("203.0.113.7, 172.16.0.0/12, 2001:db8::/32, loopback");
    expect(trusted.trusts("203.0.113.7")).toBe(true);
    expect(trusted.trusts("203.0.113.8")).toBe(false);
    expect(trusted.trusts("172.31.255.1")).toBe(true);
    expect(trusted.trusts("172.32.0.1")).toBe(false);
    expect(trusted.trusts("2001:db8:ffff::1")).toBe(true);
    expect(trusted.trusts("2001:db9::1")).toBe(false);
    expect(trusted.trusts("127.8.0.1")).toBe(true);
    expect(trusted.trusts("::1")).toBe(true);
    expect(trusted.trusts("::ffff:172.16.0.1")).toBe(true);
    expect(trusted.trusts("not an address")).toBe(false);
  });

  it('"private" covers RFC 1918 and IPv6 unique-local addresses', () => {
    const trusted = parseTrustedProxies("private");
    for (const ip of ["10.9.9.9", "172.20.0.2", "192.168.1.1", "fd12::1"]) expect(trusted.trusts(ip)).toBe(true);
    for (const ip of ["127.0.0.1", "8.8.8.8", "2001:db8::1"]) expect(trusted.trusts(ip)).toBe(false);
  });

  it.each([
    ["proxy.example", /"proxy.example" is not an IP address/],
    ["10.0.0.0/33", /at most 32/],
    ["::/129", /at most 128/],
    ["10.0.0.0/", /no valid prefix length/],
    ["10.0.0.0/8/8", /is not an IP address/],
    ["127.1", /is not an IP address/],
    ["loopback, 10.0.0.1/x", /"10.0.0.1\/x" has no valid prefix length/],
  ])("refuses %j with a clear reason", (value, reason) => {
    expect(trustedProxiesProblem(value)).toMatch(reason);
  });

  it("accepts a valid list", () => {
    expect(trustedProxiesProblem("loopback, private, 203.0.113.0/24, 2001:db8::1")).toBeNull();
  });
});
