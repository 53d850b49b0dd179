import { BlockList, isIP } from "node:net";

// TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For the app believes. A comma-separated
// list of addresses, CIDR ranges and keywords; empty (the default) trusts no one. node:net's
// BlockList does the matching: it is strict about address syntax and matches IPv4-mapped IPv6.

const KEYWORDS: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  // RFC 1918 and IPv6 unique-local: where a proxy container or a LAN load balancer usually lives.
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

export const TRUSTED_PROXY_KEYWORDS = Object.keys(KEYWORDS);

type Range = { address: string; prefix: number; family: "ipv4" | "ipv6" };

function parseEntry(entry: string): Range | string {
  const [address = "", prefixText, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) {
    return `"${entry}" is not an IP address, a CIDR range (address/bits) or one of ${TRUSTED_PROXY_KEYWORDS.join(", ")}`;
  }
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return `"${entry}" has no valid prefix length after the "/"`;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return `"${entry}": an IPv${version} prefix length is at most ${max}`;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

function entries(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .flatMap((entry) => KEYWORDS[entry] ?? [entry]);
}

class TrustedProxiesError extends Error {}

function buildList(value: string): BlockList | null {
  const ranges = entries(value).map((entry) => {
    const range = parseEntry(entry);
    if (typeof range === "string") throw new TrustedProxiesError(range);
    return { entry, ...range };
  });
  if (ranges.length === 0) return null;
  const list = new BlockList();
  for (const { entry, address, prefix, family } of ranges) {
    try {
      list.addSubnet(address, prefix, family);
    } catch {
      // isIP accepts forms BlockList refuses (an IPv6 zone such as fe80::1%eth0).
      throw new TrustedProxiesError(`"${entry}" is not an address this server can match`);
    }
  }
  return list;
}

/** Why a TRUSTED_PROXIES value is unusable, or null when every entry parses. */
export function trustedProxiesProblem(value: string): string | null {
  try {
    buildList(value);
    return null;
  } catch (error) {
    if (error instanceof TrustedProxiesError) return error.message;
    throw error;
  }
}

export type TrustedProxies = { trusts(ip: string): boolean };

/** A matcher for a TRUSTED_PROXIES value that lib/config.ts has validated; unset trusts no one. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = buildList(value ?? "");
  return {
    trusts(ip) {
      const version = isIP(ip);
      return list !== null && version !== 0 && list.check(ip, version === 4 ? "ipv4" : "ipv6");
    },
  };
}
