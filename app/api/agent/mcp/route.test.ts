import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import * as mcpRoute from "./route";
import { hashSecret } from "@/lib/agents/credentials";
import { createAgent } from "@/lib/agents/service";
import { exchangeClientCredentials } from "@/lib/agents/tokens";
import { getDb } from "@/lib/db/client";
import { createJob } from "@/lib/jobs/create-job";
import { configureLogging } from "@/lib/logger";
import { connectMcpClient, serveRoute, type TestHttpServer } from "@/lib/mcp/test-kit";

// The MCP endpoint through the official client over real HTTP: the tools an agent sees follow its
// scope, calls run pipelines as the agent, and anything outside the scope is refused and recorded.

let server: TestHttpServer;
let agentId: string;
let accessToken: string;
let client: Client;

beforeAll(async () => {
  configureLogging({ level: "silent" });
  server = await serveRoute("/api/agent/mcp", mcpRoute);
  const issued = await createAgent(
    { name: "openclaw-mcp", jobKinds: ["research.brief"], pipelines: ["system.echo", "notes.capture"] },
    null,
  );
  agentId = issued.agent.id;
  accessToken = (await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", "req_mcp_setup")).access_token;
  client = await connectMcpClient(server.url, accessToken);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

async function scopeDenials(target: string) {
  return getDb().agentAuditEvent.findMany({ where: { agentId, action: "scope.denied", target } });
}

function text(result: Awaited<ReturnType<Client["callTool"]>>): unknown {
  const first = (result.content as Array<{ type: string; text?: string }>)[0];
  return JSON.parse(first?.text ?? "null");
}

describe("MCP endpoint", () => {
  it("introduces itself with the job protocol in its instructions", () => {
    expect(client.getServerVersion()?.name).toBe("personal-automations");
    const instructions = client.getInstructions() ?? "";
    expect(instructions).toContain("jobs_claim");
    expect(instructions).toContain("NO_REPLY");
    expect(instructions).toMatch(/untrusted/);
  });

  it("lists exactly the tools in the agent's scope, with the pipelines' JSON Schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "approvals_get",
      "job_kinds_list",
      "jobs_claim",
      "jobs_complete",
      "jobs_fail",
      "jobs_heartbeat",
      "pipeline__notes_capture",
      "pipeline__system_echo",
    ]);
    const echo = tools.find((tool) => tool.name === "pipeline__system_echo")!;
    expect(echo.description).toContain("Returns the message it was given");
    expect(echo.description).toContain("Side effects: none");
    expect(echo.inputSchema).toMatchObject({ type: "object", properties: { message: { type: "string", maxLength: 2000 } } });
    const capture = tools.find((tool) => tool.name === "pipeline__notes_capture")!;
    expect(capture.annotations?.readOnlyHint).toBe(false);
  });

  it("runs a pipeline as the agent and records the run", async () => {
    const result = await client.callTool({ name: "pipeline__system_echo", arguments: { message: "hello from mcp" } });
    expect(result.isError).toBeFalsy();
    const body = result.structuredContent as { runId: string; status: string; output: { message: string; actor: string; trigger: string } };
    expect(text(result)).toEqual(body);
    expect(body.status).toBe("succeeded");
    expect(body.output).toMatchObject({ message: "hello from mcp", actor: "openclaw-mcp", trigger: "agent" });

    const run = await getDb().pipelineRun.findUniqueOrThrow({ where: { id: body.runId } });
    expect(run).toMatchObject({ pipeline: "system.echo", status: "succeeded", trigger: "agent", actorType: "agent", actorId: agentId });
    expect(run.tokenId).toMatch(/^tok_/);
    expect(run.requestId).toBeTruthy();
  });

  it("answers invalid pipeline input with the field issues and runs nothing", async () => {
    const before = await getDb().pipelineRun.count({ where: { actorId: agentId } });
    const result = await client.callTool({ name: "pipeline__system_echo", arguments: { message: "x".repeat(2001) } });
    expect(result.isError).toBe(true);
    const body = result.structuredContent as { error: { code: string; details: { issues: Array<{ path: string }> } } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.issues[0]?.path).toBe("message");
    expect(await getDb().pipelineRun.count({ where: { actorId: agentId } })).toBe(before);
  });

  it("refuses a pipeline outside the scope, even though the name is valid, and records the refusal", async () => {
    const result = await client.callTool({ name: "pipeline__context_read", arguments: { path: "abstract.md" } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: { code: "forbidden" } });
    expect(await scopeDenials("context.read")).toHaveLength(1);
    expect(await getDb().pipelineRun.count({ where: { pipeline: "context.read" } })).toBe(0);
  });

  it("refuses an unknown tool name like an out-of-scope one, and records it whatever the name", async () => {
    for (const name of ["shell_exec", "personal-automations__jobs_claim", "x".repeat(300)]) {
      const result = await client.callTool({ name, arguments: { command: "id" } });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ error: { code: "forbidden", details: { scope: "tool" } } });
    }
    expect(await scopeDenials("shell_exec")).toHaveLength(1);
    expect(await scopeDenials("personal-automations__jobs_claim")).toHaveLength(1);
    expect(await scopeDenials("x".repeat(200))).toHaveLength(1);
  });

  it("refuses connections without a valid, unexpired bearer token with 401 and a Bearer challenge", async () => {
    const attempts = ["", "pa_at_not-a-real-token"];
    for (const token of attempts) {
      const error = await connectMcpClient(server.url, token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamableHTTPError);
      expect((error as StreamableHTTPError).code).toBe(401);
    }

    const issued = await createAgent({ name: "expired-agent", pipelines: ["system.echo"] }, null);
    const expired = (await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", "req_mcp_expired")).access_token;
    await getDb().agentToken.update({ where: { tokenHash: hashSecret(expired) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const error = await connectMcpClient(server.url, expired).catch((e: unknown) => e);
    expect((error as StreamableHTTPError).code).toBe(401);

    const raw = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${expired}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const body = await raw.text();
    expect(body).toContain("expired");
    expect(body).not.toContain(expired);
  });

  it("answers arguments PostgreSQL cannot store with invalid params (400), running nothing", async () => {
    const runsBefore = await getDb().pipelineRun.count({ where: { pipeline: "system.echo" } });
    for (const message of ["a\\u0000b", "\\ud800"]) {
      const res = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${accessToken}` },
        body: `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"pipeline__system_echo","arguments":{"message":"${message}"}}}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ jsonrpc: "2.0", id: 7, error: { code: -32602, message: expect.stringContaining("params.arguments.message") } });
    }
    expect(await getDb().pipelineRun.count({ where: { pipeline: "system.echo" } })).toBe(runsBefore);
  });

  it("answers GET and DELETE with 405 for an authenticated agent: the endpoint is stateless", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(server.url, { method, headers: { authorization: `Bearer ${accessToken}`, accept: "text/event-stream" } });
      expect(res.status).toBe(405);
    }
  });

  describe("job protocol", () => {
    const brief = { topic: "Postgres 18 async I/O", questions: ["What changed?"] };
    const goodResult = {
      summary: "Async I/O arrived.",
      findings: [{ claim: "io_method defaults to worker", source: "https://www.postgresql.org/docs/18/runtime-config-resource.html" }],
      confidence: "medium",
    };

    it("lists the kinds in scope with their result schemas", async () => {
      const result = await client.callTool({ name: "job_kinds_list", arguments: {} });
      const body = result.structuredContent as { kinds: Array<{ name: string; resultSchema: { required: string[] } }> };
      expect(body.kinds.map((kind) => kind.name)).toEqual(["research.brief"]);
      expect(body.kinds[0]!.resultSchema.required).toEqual(["summary", "findings", "confidence"]);
    });

    it("answers an empty queue with no jobs and the NO_REPLY hint", async () => {
      const result = await client.callTool({ name: "jobs_claim", arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({ jobs: [], hint: "queue empty: reply NO_REPLY" });
    });

    it("claims, heartbeats and completes a job, refusing a result that does not match the schema", async () => {
      const { job } = await createJob({ kind: "research.brief", input: brief });
      const claimed = await client.callTool({ name: "jobs_claim", arguments: { limit: 5 } });
      const { jobs } = claimed.structuredContent as {
        jobs: Array<{ id: string; jobId: string; leaseId: string; instructions: string; input: unknown; resultSchema: object; leaseExpiresAt: string }>;
      };
      expect(jobs).toHaveLength(1);
      const [claim] = jobs;
      expect(claim).toMatchObject({ id: job.id, jobId: job.id, input: brief });
      expect(claim!.instructions).toContain("Postgres 18 async I/O");
      expect(claim!.resultSchema).toMatchObject({ type: "object" });

      const beat = await client.callTool({ name: "jobs_heartbeat", arguments: { jobId: claim!.jobId, leaseId: claim!.leaseId } });
      expect(beat.isError).toBeFalsy();
      expect(beat.structuredContent).toMatchObject({ id: job.id, jobId: job.id, leaseExpiresAt: expect.any(String) });
      // The field name earlier skills passed back still works.
      const oldName = await client.callTool({ name: "jobs_heartbeat", arguments: { id: claim!.id, leaseId: claim!.leaseId } });
      expect(oldName.isError).toBeFalsy();

      const liar = await client.callTool({
        name: "jobs_complete",
        arguments: { jobId: claim!.id, leaseId: claim!.leaseId, result: { summary: "ok", confidence: "certain" } },
      });
      expect(liar.isError).toBe(true);
      const refusal = liar.structuredContent as { error: { code: string; details: { issues: Array<{ path: string }> } } };
      expect(refusal.error.code).toBe("validation_failed");
      expect(refusal.error.details.issues.map((issue) => issue.path).sort()).toEqual(["confidence", "findings"]);
      expect(await getDb().agentJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "claimed", result: null });

      const done = await client.callTool({
        name: "jobs_complete",
        arguments: { jobId: claim!.id, leaseId: claim!.leaseId, result: goodResult },
      });
      expect(done.isError).toBeFalsy();
      expect(done.structuredContent).toMatchObject({ id: job.id, jobId: job.id, status: "succeeded", idempotent: false });
      const stored = await getDb().agentJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(stored).toMatchObject({ status: "succeeded", result: goodResult, claimedByAgent: agentId });
    });

    it("fails a job it cannot do, and refuses a lease it does not hold", async () => {
      const { job } = await createJob({ kind: "research.brief", input: { ...brief, topic: "unknowable" } });
      const claimed = await client.callTool({ name: "jobs_claim", arguments: { kinds: ["research.brief"] } });
      const [claim] = (claimed.structuredContent as { jobs: Array<{ id: string; leaseId: string }> }).jobs;
      expect(claim!.id).toBe(job.id);

      const wrongLease = await client.callTool({ name: "jobs_fail", arguments: { jobId: job.id, leaseId: "lease_forged", message: "x" } });
      expect(wrongLease.isError).toBe(true);
      expect(wrongLease.structuredContent).toMatchObject({ error: { code: "conflict" } });

      const failed = await client.callTool({
        name: "jobs_fail",
        arguments: { jobId: job.id, leaseId: claim!.leaseId, message: "No sources exist for this topic", retryable: false },
      });
      expect(failed.isError).toBeFalsy();
      expect(failed.structuredContent).toMatchObject({ id: job.id, jobId: job.id, status: "failed", retryAt: null });
    });

    it("refuses to claim a kind outside the scope and records it", async () => {
      await createJob({ kind: "content.draft", input: {} }).catch(() => undefined);
      const result = await client.callTool({ name: "jobs_claim", arguments: { kinds: ["content.draft"] } });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ error: { code: "forbidden" } });
      expect(await scopeDenials("content.draft")).toHaveLength(1);
    });

    it("answers bad arguments with the field issues", async () => {
      const result = await client.callTool({ name: "jobs_complete", arguments: { jobId: "job_x" } });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ error: { code: "validation_failed" } });
    });

    it("lists no job tools for an agent without job kinds", async () => {
      const issued = await createAgent({ name: "pipelines-only", pipelines: ["system.echo"] }, null);
      const token = (await exchangeClientCredentials(issued.clientId, issued.clientSecret, "127.0.0.1", "req_mcp_po")).access_token;
      const other = await connectMcpClient(server.url, token);
      try {
        expect((await other.listTools()).tools.map((tool) => tool.name)).toEqual(["approvals_get", "pipeline__system_echo"]);
        const refused = await other.callTool({ name: "jobs_claim", arguments: {} });
        expect(refused.structuredContent).toEqual({ jobs: [], hint: "queue empty: reply NO_REPLY" });
      } finally {
        await other.close();
      }
    });
  });
});
