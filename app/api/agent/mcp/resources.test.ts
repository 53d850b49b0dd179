import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import * as mcpRoute from "./route";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import { createAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { getDb } from "@/lib/db/client";
import { configureLogging } from "@/lib/logger";
import { contextResourceUri, parseContextResourceUri } from "@/lib/mcp/context-resources";
import { connectMcpClient, serveRoute, type TestHttpServer } from "@/lib/mcp/test-kit";
import { envForFile } from "@/tests/setup/config-env";

// The context hub's tiers as MCP resources, through the official client over real HTTP: an agent
// that may run context.read lists and reads them (each read a recorded run); one that may not sees
// none, and its reads are refused and recorded.

let hub: string;
let server: TestHttpServer;
const clients: Client[] = [];
let reader: { id: string; client: Client };
let outsider: { id: string; client: Client };

envForFile(async () => {
  hub = await mkdtemp(path.join(os.tmpdir(), "hub-mcp-resources-"));
  await seedContextHub(hub);
  return { CONTEXT_HUB_DIR: hub };
});

async function connect(name: string, pipelines: string[]) {
  const issued = await createAgent({ name, jobKinds: ["research.brief"], pipelines }, null);
  const token = (await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", `req_${name}`)).access_token;
  const client = await connectMcpClient(server.url, token);
  clients.push(client);
  return { id: issued.agent.id, client };
}

beforeAll(async () => {
  configureLogging({ level: "silent" });
  server = await serveRoute("/api/agent/mcp", mcpRoute);
  reader = await connect("hub-reader", ["context.read", "system.echo"]);
  outsider = await connect("hub-outsider", ["system.echo"]);
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.close();
  await rm(hub, { recursive: true, force: true });
});

function json(result: Awaited<ReturnType<Client["readResource"]>>): Record<string, unknown> {
  const [content] = result.contents;
  return JSON.parse((content as { text: string }).text) as Record<string, unknown>;
}

describe("context hub resources", () => {
  it("map URIs and hub paths both ways, encoding each segment", () => {
    expect(contextResourceUri("abstracts", "")).toBe("context://hub/abstracts");
    expect(contextResourceUri("full", "areas/clients/a b.md")).toBe("context://hub/files/areas/clients/a%20b.md");
    expect(parseContextResourceUri("context://hub/files/areas/clients/a%20b.md")).toEqual({ tier: "full", path: "areas/clients/a b.md" });
    expect(parseContextResourceUri("context://hub/overview")).toEqual({ tier: "overview", path: "" });
    expect(parseContextResourceUri("context://hub/secrets/x")).toBeNull();
    expect(parseContextResourceUri("file:///etc/passwd")).toBeNull();
  });

  it("lists the entry points and the three tier templates to an agent that may read the hub", async () => {
    const { resources } = await reader.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([
      "context://hub/abstracts",
      "context://hub/overview/identity",
      "context://hub/overview/inbox",
      "context://hub/overview/areas",
      "context://hub/overview/projects",
      "context://hub/overview/knowledge",
    ]);
    const { resourceTemplates } = await reader.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      "context://hub/abstracts/{+path}",
      "context://hub/overview/{+path}",
      "context://hub/files/{+path}",
    ]);
  });

  it("reads the tiers: abstracts, a folder's overview, then one file, each a recorded context.read run", async () => {
    const abstracts = json(await reader.client.readResource({ uri: "context://hub/abstracts" }));
    expect(abstracts.tier).toBe("abstracts");
    expect((abstracts.folders as Array<{ path: string }>).map((f) => f.path)).toContain("areas/clients");

    const overview = json(await reader.client.readResource({ uri: "context://hub/overview/areas/clients" }));
    expect(overview).toMatchObject({ tier: "overview", kind: "folder", path: "areas/clients" });
    expect((overview.files as Array<{ path: string }>).map((f) => f.path)).toContain("areas/clients/northwind-freight.md");

    const file = await reader.client.readResource({ uri: "context://hub/files/areas/clients/northwind-freight.md" });
    const [content] = file.contents as Array<{ uri: string; mimeType: string; text: string }>;
    expect(content).toMatchObject({ uri: "context://hub/files/areas/clients/northwind-freight.md", mimeType: "text/markdown" });
    expect(content!.text.length).toBeGreaterThan(50);

    const runs = await getDb().pipelineRun.findMany({ where: { actorId: reader.id, pipeline: "context.read" } });
    expect(runs).toHaveLength(3);
    expect(runs.every((run) => run.status === "succeeded" && run.trigger === "agent")).toBe(true);
  });

  it("refuses paths that leave the hub and unknown URIs, recording the unknown one", async () => {
    const escape = await reader.client.readResource({ uri: "context://hub/files/..%2F..%2Fetc%2Fpasswd" }).catch((e: unknown) => e);
    expect(escape).toBeInstanceOf(McpError);
    expect((escape as McpError).message).toMatch(/outside|forbidden|hub/i);

    const unknown = await reader.client.readResource({ uri: "file:///etc/passwd" }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(McpError);
    const denied = await getDb().agentAuditEvent.findMany({ where: { agentId: reader.id, action: "scope.denied", target: "file:///etc/passwd" } });
    expect(denied).toHaveLength(1);
  });

  it("shows an agent without context.read no resources and refuses and records its reads", async () => {
    expect((await outsider.client.listResources()).resources).toEqual([]);
    expect((await outsider.client.listResourceTemplates()).resourceTemplates).toEqual([]);
    const refused = await outsider.client.readResource({ uri: "context://hub/abstracts" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(McpError);
    expect((refused as McpError).message).toContain("may not run pipeline context.read");
    const denied = await getDb().agentAuditEvent.findMany({ where: { agentId: outsider.id, action: "scope.denied", target: "context.read" } });
    expect(denied).toHaveLength(1);
    expect(await getDb().pipelineRun.count({ where: { actorId: outsider.id } })).toBe(0);
  });
});
