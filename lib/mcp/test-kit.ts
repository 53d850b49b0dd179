import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

// Tests drive the MCP endpoint the way an agent does: the official client over a real HTTP
// connection to 127.0.0.1, with a node:http server in front of the route handlers.

type RouteHandler = (req: NextRequest, args: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteModule = Partial<Record<"GET" | "POST" | "DELETE", RouteHandler>>;

export type TestHttpServer = { url: string; close(): Promise<void> };

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Hands a node:http request to a route handler as a NextRequest and writes its answer back. */
export async function forwardToRoute(handler: RouteHandler, req: http.IncomingMessage, res: http.ServerResponse, url: URL, params: Record<string, string>): Promise<void> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
  const response = await handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Serves one route module at `path` on 127.0.0.1 (any free port); other paths answer 404. */
export async function serveRoute(path: string, route: RouteModule): Promise<TestHttpServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const handler = route[req.method as keyof RouteModule];
      if (url.pathname !== path || !handler) {
        res.writeHead(url.pathname === path ? 405 : 404).end();
        return;
      }
      await forwardToRoute(handler, req, res, url, {});
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** An official MCP client connected with a bearer token (connect() throws on a 401). */
export async function connectMcpClient(url: string, accessToken: string): Promise<Client> {
  const client = new Client({ name: "personal-automations-tests", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
  await client.connect(transport);
  return client;
}
