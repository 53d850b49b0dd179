import http from "node:http";
import type { AddressInfo } from "node:net";
import { forwardToRoute, type RouteModule, type TestHttpServer } from "@/lib/mcp/test-kit";
import * as approvalRoute from "@/app/api/agent/approvals/[id]/route";
import * as claimRoute from "@/app/api/agent/jobs/claim/route";
import * as completeRoute from "@/app/api/agent/jobs/[id]/complete/route";
import * as mcpRoute from "@/app/api/agent/mcp/route";
import * as runRoute from "@/app/api/agent/pipelines/[name]/runs/route";
import * as tokenRoute from "@/app/api/agent/token/route";

// The agent API on a real HTTP port (127.0.0.1), served by the route handlers themselves, so a
// test's agent is an ordinary HTTP client (fetch, or the official MCP client) like OpenClaw is.

type Route = { pattern: RegExp; module: RouteModule };

const ROUTES: Route[] = [
  { pattern: /^\/api\/agent\/token$/, module: tokenRoute as RouteModule },
  { pattern: /^\/api\/agent\/jobs\/claim$/, module: claimRoute as RouteModule },
  { pattern: /^\/api\/agent\/jobs\/(?<id>[^/]+)\/complete$/, module: completeRoute as RouteModule },
  { pattern: /^\/api\/agent\/pipelines\/(?<name>[^/]+)\/runs$/, module: runRoute as RouteModule },
  { pattern: /^\/api\/agent\/approvals\/(?<id>[^/]+)$/, module: approvalRoute as RouteModule },
  { pattern: /^\/api\/agent\/mcp$/, module: mcpRoute as RouteModule },
];

export async function serveAgentApi(): Promise<TestHttpServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const match = ROUTES.map((route) => ({ route, found: route.pattern.exec(url.pathname) })).find((m) => m.found);
      const handler = match?.route.module[req.method as keyof RouteModule];
      if (!match || !handler) {
        res.writeHead(match ? 405 : 404).end();
        return;
      }
      const params = Object.fromEntries(Object.entries(match.found!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      await forwardToRoute(handler, req, res, url, params);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
