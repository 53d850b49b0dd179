import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "./http";

// Where notify.send delivers in tests: an ntfy/Slack-like webhook on 127.0.0.1 that keeps every
// JSON body it receives. Tests in another process read them with GET /__received.

export type FakeNotifyWebhook = { url: string; received: unknown[]; close(): Promise<void> };

export async function startFakeNotifyWebhook(): Promise<FakeNotifyWebhook> {
  const received: unknown[] = [];
  const server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/__received") return sendJson(res, 200, received);
    if (req.method !== "POST") return sendJson(res, 405, { error: "POST only" });
    try {
      received.push(JSON.parse(await readBody(req)));
      sendJson(res, 200, { ok: true });
    } catch {
      sendJson(res, 400, { error: "not JSON" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a fake in another process has received so far. */
export async function receivedNotifications(url: string): Promise<Array<{ title: string; message: string }>> {
  return (await fetch(new URL("/__received", url))).json() as Promise<Array<{ title: string; message: string }>>;
}
