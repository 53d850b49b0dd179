import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { peerAddressHeader } from "@/lib/http/ip";

// `next start` (and the standalone server.js) hand route handlers a Web Request with no socket,
// and Next fills X-Forwarded-For with the peer only when the client sent none. Node announces
// every request on this diagnostics channel before the server's handler sees it, so the peer is
// written into a header whose name is random per process (see peerAddressHeader) and always
// overwritten: whatever a client sends under that name is replaced.

type RequestStart = { request: IncomingMessage; socket: Socket };

let subscribed = false;

/** Once per process, before the server handles requests (instrumentation.ts). */
export function recordPeerAddresses(): void {
  if (subscribed) return;
  subscribed = true;
  const header = peerAddressHeader();
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    const peer = socket.remoteAddress ?? request.socket?.remoteAddress;
    if (peer) request.headers[header] = peer;
    else delete request.headers[header];
  });
}
