import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { getConfig } from "@/lib/config";
import { parseTrustedProxies, type TrustedProxies } from "@/lib/http/trusted-proxies";

// Who is calling: the address per-IP rate limits count and the audit records. The connection's
// peer is the caller unless it is a trusted proxy (TRUSTED_PROXIES); then X-Forwarded-For is read
// from the right, skipping trusted hops, and the first address no trusted proxy vouches for wins.

// Node reports IPv4 callers on a dual-stack socket as IPv4-mapped IPv6 ("::ffff:127.0.0.1"), and
// Next passes that on in x-forwarded-for. Stored and shown as the IPv4 address people recognise.
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip.trim());
  return mapped ? mapped[1]! : ip.trim();
}

const PEER_HEADER = Symbol.for("personal-automations.peer-address-header");

/**
 * The request header that carries the connection's peer address (set by recordPeerAddresses in
 * lib/http/peer-address.ts). Its name is random per process, so a client cannot send one that
 * passes for it; it lives on globalThis because instrumentation and routes are separate bundles.
 */
export function peerAddressHeader(): string {
  const global = globalThis as { [PEER_HEADER]?: string };
  return (global[PEER_HEADER] ??= `x-pa-peer-${randomBytes(12).toString("hex")}`);
}

let trustedCache: { value: string | undefined; proxies: TrustedProxies } | undefined;

function configuredProxies(): TrustedProxies {
  const value = getConfig().TRUSTED_PROXIES;
  if (!trustedCache || trustedCache.value !== value) trustedCache = { value, proxies: parseTrustedProxies(value) };
  return trustedCache.proxies;
}

/** The caller's address; "unknown" when the request did not come through this server's socket. */
export function clientIp(headers: Headers, trusted: TrustedProxies = configuredProxies()): string {
  const peer = headers.get(peerAddressHeader());
  if (!peer || !isIP(normaliseIp(peer))) return "unknown";
  let client = normaliseIp(peer);
  if (!trusted.trusts(client)) return client;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map(normaliseIp);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is not an address (garbage, or a proxy's "unknown") ends the walk at the last
    // trusted proxy, which is then the best address we know.
    if (!isIP(hop)) return client;
    client = hop;
    if (!trusted.trusts(hop)) return hop;
  }
  return client;
}
