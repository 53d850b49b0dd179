import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { hashSecret } from "@/lib/agents/credentials";
import { clientCredentialsToken } from "@/tests/agents/agent-http";
import { cli } from "./run-cli";

function printed(output: string, label: "Client id" | "Client secret"): string {
  const match = output.match(new RegExp(`^${label}:\\s+(\\S+)$`, "m"));
  if (!match?.[1]) throw new Error(`no ${label} in output:\n${output}`);
  return match[1];
}

describe("pa agents", () => {
  it("creates an agent, prints its credential once with a token curl, and the credential works", async () => {
    const run = await cli(["agents", "create", "openclaw", "--description", "Inbox rounds", "--pipelines", "system.echo,context.search", "--job-kinds", "inbox.reply-draft"]);
    expect(run.code).toBe(0);
    expect(run.err).toBe("");
    expect(run.out).toMatch(/^Created agent openclaw \(agt_[0-9a-z]+\)\./);
    expect(run.out).toContain("will not be shown again");
    const clientId = printed(run.out, "Client id");
    const clientSecret = printed(run.out, "Client secret");
    expect(run.out).toContain(`curl -s -X POST http://localhost:3000/api/agent/token`);
    expect(run.out).toContain(`-d client_secret=${clientSecret}`);

    const stored = await autocommit().agent.findUniqueOrThrow({ where: { name: "openclaw" } });
    expect(stored).toMatchObject({ clientId, clientSecretHash: hashSecret(clientSecret), pipelines: ["system.echo", "context.search"], jobKinds: ["inbox.reply-draft"] });
    const tokens = await clientCredentialsToken(clientId, clientSecret);
    expect(tokens.access_token).toMatch(/^pa_at_/);
  });

  it("refuses an unknown pipeline in the scope and a duplicate name", async () => {
    const bad = await cli(["agents", "create", "scoped", "--pipelines", "nope.nothing"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('there is no pipeline named "nope.nothing"');
    await cli(["agents", "create", "twice"]);
    const again = await cli(["agents", "create", "twice"]);
    expect(again.code).toBe(1);
    expect(again.err).toBe("error: An agent named twice already exists");
  });

  it("lists agents as a table and as JSON, without secrets", async () => {
    const created = await cli(["agents", "create", "lister", "--pipelines", "system.echo"]);
    await clientCredentialsToken(printed(created.out, "Client id"), printed(created.out, "Client secret"));

    const table = await cli(["agents", "list"]);
    expect(table.code).toBe(0);
    expect(table.lines[0]).toMatch(/^NAME\s+JOB KINDS\s+LAST ROUND\s+LAST CLAIM\s+TOKEN EXPIRES\s+WAITING\s+STATUS$/);
    expect(table.lines.find((l) => l.startsWith("lister"))).toMatch(/^lister\s+-\s+just now\s+never\s+in \d+ d\s+0\s+ok$/);

    const json = await cli(["agents", "list", "--json"]);
    const rows = JSON.parse(json.out) as Record<string, unknown>[];
    expect(rows.find((r) => r.name === "lister")).toMatchObject({ status: "active", activeTokens: 2, pipelines: ["system.echo"] });
    expect(json.out).not.toContain(printed(created.out, "Client secret"));
    expect(json.out).not.toMatch(/clientSecretHash|tokenHash/);
  });

  it("disable revokes tokens and stops exchanges; enable lets the agent back in", async () => {
    const created = await cli(["agents", "create", "toggler", "--pipelines", "system.echo"]);
    const clientId = printed(created.out, "Client id");
    const clientSecret = printed(created.out, "Client secret");
    await clientCredentialsToken(clientId, clientSecret);

    const disabled = await cli(["agents", "disable", "toggler"]);
    expect(disabled.code).toBe(0);
    expect(disabled.out).toBe("Disabled toggler; its tokens were revoked.");
    expect((await cli(["agents", "list"])).lines.find((l) => l.startsWith("toggler"))).toMatch(/\s0\s+disabled$/);
    await expect(clientCredentialsToken(clientId, clientSecret)).rejects.toThrow(/401/);

    expect((await cli(["agents", "enable", "toggler"])).code).toBe(0);
    await clientCredentialsToken(clientId, clientSecret);

    const audit = await cli(["agents", "audit", "toggler"]);
    expect(audit.code).toBe(0);
    expect(audit.out).toMatch(/agent\.disabled\s+allowed/);
    expect(audit.out).toMatch(/token\.denied\s+refused\s+pa_client_/);
  });

  it("updates the scope, rotates the secret, revokes tokens and deletes", async () => {
    const created = await cli(["agents", "create", "changer"]);
    const clientId = printed(created.out, "Client id");
    const oldSecret = printed(created.out, "Client secret");

    const updated = await cli(["agents", "update", "changer", "--pipelines", "system.echo"]);
    expect(updated.out).toContain("Pipelines: system.echo");

    await clientCredentialsToken(clientId, oldSecret);
    const rotated = await cli(["agents", "rotate-secret", "changer"]);
    const newSecret = printed(rotated.out, "Client secret");
    expect(newSecret).not.toBe(oldSecret);
    await expect(clientCredentialsToken(clientId, oldSecret)).rejects.toThrow(/401/);
    await clientCredentialsToken(clientId, newSecret);

    const revoked = await cli(["agents", "revoke-tokens", "changer"]);
    expect(revoked.out).toBe("Revoked 4 tokens of changer.");

    expect((await cli(["agents", "delete", "changer"])).out).toBe("Deleted changer.");
    const missing = await cli(["agents", "disable", "changer"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("error: There is no agent named changer");
  });
});
