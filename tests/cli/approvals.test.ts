import { describe, expect, it } from "vitest";
import { setPolicy } from "@/lib/approvals/policy";
import { gateAgentCall } from "@/lib/approvals/request-approval";
import { createAgent } from "@/lib/agents/service";
import { cli } from "./run-cli";

// `pa approvals …` against this file's database: an agent's call the owner's policy says to ask about.

async function askedCall(name: string, message: string) {
  const { agent } = await createAgent({ name, jobKinds: [], pipelines: ["system.echo"] }, null);
  await setPolicy(agent.id, { pipeline: "system.echo", mode: "ask" }, "owner");
  const principal = { agentId: agent.id, agentName: agent.name, tokenId: "tok_cli", jobKinds: [], pipelines: ["system.echo"] };
  const gate = await gateAgentCall(principal, "system.echo", { message }, { requestId: "req_cli" });
  if (gate.kind !== "pending") throw new Error("expected a pending approval");
  return gate.approval.id;
}

describe("pa approvals", () => {
  it("lists, shows, approves and denies with a reason", async () => {
    const first = await askedCall("cli-asker-1", "hello from the terminal");
    const second = await askedCall("cli-asker-2", "not this one");

    const list = await cli(["approvals", "list"]);
    expect(list.code).toBe(0);
    expect(list.out).toContain("2 pending");
    expect(list.out).toMatch(new RegExp(`${first}\\s+pipeline_call\\s+pending\\s+cli-asker-1 asks to run system\\.echo`));

    const show = await cli(["approvals", "show", first]);
    expect(show.out).toContain("Runs:       system.echo");
    expect(show.out).toContain("hello from the terminal");

    const approved = await cli(["approvals", "approve", first]);
    expect(approved.out).toMatch(new RegExp(`^Approved ${first}\\. Run run_\\w+ \\(system\\.echo\\): succeeded\\.$`));
    const twice = await cli(["approvals", "approve", first]);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain("already approved");

    expect((await cli(["approvals", "deny", second])).code).not.toBe(0);
    expect((await cli(["approvals", "deny", second, "--reason", "Not today"])).out).toBe(`Denied ${second}: Not today`);
    const json = JSON.parse((await cli(["approvals", "list", "--status", "approved,denied", "--json"])).out);
    expect(json.pending).toBe(0);
    expect(json.approvals.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [second, "denied"],
      [first, "approved"],
    ]);
  });
});
