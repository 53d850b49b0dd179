import { describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/agent/pipelines/route";
import { POST as runRoute } from "@/app/api/agent/pipelines/[name]/runs/route";
import { autocommit } from "@/lib/db/transaction";
import { PIPELINE_NAMES } from "@/pipelines/registry";
import { assertJobKindInScope, jobKindsInScope } from "@/lib/agents/scope";
import { authenticateAgent } from "@/lib/agents/authenticate";
import { createAgent, updateAgent } from "@/lib/agents/service";
import { callRoute, clientCredentialsToken } from "@/tests/agents/agent-http";

// The scope matrix: an agent scoped to system.echo and one job kind sees and runs only those;
// every other pipeline (existing or not) is a recorded 403.

async function scopedAgent(name: string) {
  const created = await createAgent({ name, pipelines: ["system.echo"], jobKinds: ["inbox.reply-draft"] }, null);
  const tokens = await clientCredentialsToken(created.clientId, created.clientSecret);
  return { ...created, token: tokens.access_token };
}

const denials = (agentId: string) =>
  autocommit().agentAuditEvent.findMany({ where: { agentId, action: "scope.denied" }, orderBy: { createdAt: "asc" } });

function run(name: string, token: string, input: unknown = { message: "hi" }) {
  return callRoute(runRoute, `/api/agent/pipelines/${name}/runs`, { token, body: { input }, params: { name } });
}

describe("agent scope", () => {
  it("lists only in-scope pipelines, with their schemas", async () => {
    const { token } = await scopedAgent("lister");
    const answer = await callRoute(listRoute, "/api/agent/pipelines", { token });
    expect(answer.status).toBe(200);
    const pipelines = answer.json.pipelines as { name: string; inputSchema: unknown }[];
    expect(pipelines.map((p) => p.name)).toEqual(["system.echo"]);
    expect(pipelines[0]!.inputSchema).toMatchObject({ type: "object" });
  });

  it("refuses every out-of-scope pipeline with 403 and an audit row, existing or not", async () => {
    const { agent, token } = await scopedAgent("runner");
    const outOfScope = [...PIPELINE_NAMES.filter((name) => name !== "system.echo"), "no.such-pipeline"];
    expect(outOfScope.length).toBeGreaterThan(1);
    for (const name of outOfScope) {
      const answer = await run(name, token, {});
      expect(answer.status, name).toBe(403);
      expect(answer.json.error).toMatchObject({ code: "forbidden", message: `This agent may not run pipeline ${name}` });
    }
    const rows = await denials(agent.id);
    expect(rows.map((r) => r.target)).toEqual(outOfScope);
    for (const row of rows) expect(row).toMatchObject({ allowed: false, tokenId: expect.stringMatching(/^tok_/), requestId: expect.any(String) });
    expect(await autocommit().pipelineRun.count({ where: { actorId: agent.id } })).toBe(0);
  });

  it("runs an in-scope pipeline with trigger agent and the agent and token as actor", async () => {
    const { agent, token } = await scopedAgent("worker");
    const principal = await authenticateAgent(`Bearer ${token}`, "req_t");
    const answer = await run("system.echo", token, { message: "hello" });
    expect(answer.status).toBe(200);
    const runDto = answer.json.run as { id: string };
    const row = await autocommit().pipelineRun.findUniqueOrThrow({ where: { id: runDto.id } });
    expect(row).toMatchObject({
      pipeline: "system.echo",
      status: "succeeded",
      trigger: "agent",
      actorType: "agent",
      actorId: agent.id,
      actorLabel: "worker",
      tokenId: principal.tokenId,
    });
  });

  it("applies a scope change to the next request with the same token", async () => {
    const { agent, token } = await scopedAgent("changer");
    expect((await run("context.search", token, { query: "x" })).status).toBe(403);
    await updateAgent(agent.name, { pipelines: ["system.echo", "context.search"] }, null);
    expect((await run("context.search", token, { query: "x" })).status).not.toBe(403);
    await updateAgent(agent.name, { pipelines: [] }, null);
    expect((await run("system.echo", token)).status).toBe(403);
    const listed = await callRoute(listRoute, "/api/agent/pipelines", { token });
    expect(listed.json.pipelines).toEqual([]);
  });

  it("refuses out-of-scope job kinds and records it", async () => {
    const { agent, token } = await scopedAgent("jobber");
    const principal = await authenticateAgent(`Bearer ${token}`, "req_t");
    expect(jobKindsInScope(principal)).toEqual(["inbox.reply-draft"]);
    await assertJobKindInScope(principal, "inbox.reply-draft", "req_t");
    await expect(assertJobKindInScope(principal, "content.draft", "req_t")).rejects.toMatchObject({
      status: 403,
      message: "This agent may not work on job kind content.draft",
    });
    expect((await denials(agent.id)).map((r) => r.target)).toEqual(["content.draft"]);
  });

  it("rejects an unknown pipeline in a scope when the agent is created or updated", async () => {
    await expect(createAgent({ name: "bad-scope", pipelines: ["no.such"] }, null)).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining('there is no pipeline named "no.such"'),
    });
    await expect(createAgent({ name: "Bad_Name" }, null)).rejects.toMatchObject({ code: "validation_failed" });
    await createAgent({ name: "dup-agent" }, null);
    await expect(createAgent({ name: "dup-agent" }, null)).rejects.toMatchObject({ code: "conflict" });
  });
});
