import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peerAddressHeader } from "./ip";
import { recordPeerAddresses } from "./peer-address";

// A real HTTP server, as `next start` runs one: the handler sees the socket's peer under the
// random header name, whatever the client sent.

let seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  seen.push(req.headers);
  res.end();
});
let url = "";

beforeAll(async () => {
  recordPeerAddresses();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("recordPeerAddresses", () => {
  it("records the socket's peer, overwriting a forged header of the same name", async () => {
    seen = [];
    await fetch(url);
    await fetch(url, { headers: { [peerAddressHeader()]: "203.0.113.9", "x-forwarded-for": "198.51.100.1" } });
    expect(seen.map((headers) => headers[peerAddressHeader()])).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(seen[1]!["x-forwarded-for"]).toBe("198.51.100.1");
  });
});
