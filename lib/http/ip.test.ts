import { describe, expect, it } from "vitest";
import { clientIp, normaliseIp, peerAddressHeader } from "./ip";
import { parseTrustedProxies } from "./trusted-proxies";

describe("normaliseIp", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:10.1.2.3", "10.1.2.3"],
    [" 203.0.113.9 ", "203.0.113.9"],
    ["::1", "::1"],
    ["2001:db8::1", "2001:db8::1"],
    ["::ffff:zz", "::ffff:zz"],
  ])("shows %j as %j", (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });
});

const request = (peer: string | null, forwardedFor?: string) => {
  const headers = new Headers();
  if (peer) headers.set(peerAddressHeader(), peer);
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  return headers;
};

describe("clientIp", () => {
  const none = parseTrustedProxies(undefined);
  const proxies = parseTrustedProxies("loopback, 10.0.0.0/8, 2001:db8:1::/48");

  it("is the connection's peer, whatever X-Forwarded-For says, when no proxy is trusted", () => {
    expect(clientIp(request("203.0.113.9", "198.51.100.1"), none)).toBe("203.0.113.9");
    expect(clientIp(request("::ffff:127.0.0.1", "198.51.100.1"), none)).toBe("127.0.0.1");
  });

  it("ignores X-Forwarded-For from a peer that is not one of the trusted proxies", () => {
    expect(clientIp(request("203.0.113.9", "198.51.100.1"), proxies)).toBe("203.0.113.9");
  });

  it("reads X-Forwarded-For from the right behind a trusted proxy, skipping trusted hops", () => {
    // The client forged the first entry; the proxy appended what it saw.
    expect(clientIp(request("127.0.0.1", "6.6.6.6, 198.51.100.1"), proxies)).toBe("198.51.100.1");
    // Two trusted proxies in a row.
    expect(clientIp(request("::1", "6.6.6.6, 198.51.100.1, 10.1.2.3"), proxies)).toBe("198.51.100.1");
    expect(clientIp(request("2001:db8:1::5", "2001:db8:2::9, 2001:db8:1::7"), proxies)).toBe("2001:db8:2::9");
    // Several X-Forwarded-For headers count as one list.
    const twoHeaders = request("127.0.0.1", "6.6.6.6");
    twoHeaders.append("x-forwarded-for", "198.51.100.2");
    expect(clientIp(twoHeaders, proxies)).toBe("198.51.100.2");
  });

  it("stops at the last trusted hop when the chain holds something that is not an address", () => {
    expect(clientIp(request("127.0.0.1", "198.51.100.1, garbage, 10.0.0.2"), proxies)).toBe("10.0.0.2");
    expect(clientIp(request("127.0.0.1", ""), proxies)).toBe("127.0.0.1");
    expect(clientIp(request("127.0.0.1"), proxies)).toBe("127.0.0.1");
  });

  it("is the leftmost address when every hop is trusted", () => {
    expect(clientIp(request("127.0.0.1", "10.0.0.9, 10.0.0.8"), proxies)).toBe("10.0.0.9");
  });

  it("is unknown without a recorded peer, even with forwarding headers a client could send", () => {
    const forged = new Headers({ "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.1", "x-pa-peer": "127.0.0.1" });
    expect(clientIp(forged, proxies)).toBe("unknown");
    expect(clientIp(request("not-an-ip", "198.51.100.1"), proxies)).toBe("unknown");
  });

  it("names the peer header at random per process, so a client cannot guess it", () => {
    expect(peerAddressHeader()).toMatch(/^x-pa-peer-[0-9a-f]{24}$/);
    expect(peerAddressHeader()).toBe(peerAddressHeader());
  });
});
