// Node reports IPv4 callers on a dual-stack socket as IPv4-mapped IPv6 ("::ffff:127.0.0.1"), and
// Next passes that on in x-forwarded-for. Stored and shown as the IPv4 address people recognise.
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip.trim());
  return mapped ? mapped[1]! : ip.trim();
}
