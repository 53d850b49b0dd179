import { getConfig } from "@/lib/config";
import { tokenCurl, toAgentDto } from "@/lib/agents/dto";
import {
  createAgent,
  deleteAgent,
  getAgentDetail,
  listAgentsWithStats,
  revokeAllForAgent,
  rotateClientSecret,
  setAgentDisabled,
  updateAgent,
} from "@/lib/agents/service";
import type { RegisterCommands } from "../context";
import { formatRelative, formatTable, formatTimestamp, formatUntil, plural } from "../format";
import { CLI_INVOCATION } from "../io";

// `pa agents …`: the agents that may ask for work, their scope and credentials. Rules live in
// lib/agents/service.ts; this file only parses and prints.

const NOT_SHOWN_AGAIN = "The client secret will not be shown again; store it where the agent reads it now.";

const list = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function scopeSummary(names: readonly string[]): string {
  return names.length === 0 ? "-" : names.join(",");
}

export const registerAgentsCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const agents = program.command("agents").description("register agents, set their scope, and manage their credentials");

  function printCredentials(clientId: string, clientSecret: string) {
    io.out(`Client id:     ${clientId}`);
    io.out(`Client secret: ${clientSecret}`);
    io.out(NOT_SHOWN_AGAIN);
    io.out("");
    io.out("Exchange it for an access token:");
    io.out(tokenCurl(getConfig().APP_URL, clientId, clientSecret));
  }

  agents
    .command("list")
    .summary("list agents")
    .description(
      "List every agent with its job kinds, last round, last claim, token expiry, waiting jobs and health " +
        "(stale: work waiting and no check-in within its interval; expired: no valid token; failing: its last request was refused), " +
        "then a line for each agent that needs attention.",
    )
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await context.connectDatabase();
      const all = await listAgentsWithStats();
      if (options.json) {
        io.out(JSON.stringify(all.map(toAgentDto), null, 2));
        return;
      }
      if (all.length === 0) {
        io.out(`No agents yet. Register one with \`${CLI_INVOCATION} agents create <name> --pipelines system.echo\`.`);
        return;
      }
      const now = new Date();
      const at = (iso: string | null) => (iso ? new Date(iso) : null);
      const rows = all.map((a) => [
        a.name,
        scopeSummary(a.jobKinds),
        formatRelative(at(a.health.lastRoundAt), now, "never"),
        formatRelative(at(a.health.lastClaimAt), now, "never"),
        formatUntil(at(a.health.tokenExpiresAt), now),
        String(a.health.waitingJobs),
        a.health.status,
      ]);
      for (const line of formatTable(["NAME", "JOB KINDS", "LAST ROUND", "LAST CLAIM", "TOKEN EXPIRES", "WAITING", "STATUS"], rows)) io.out(line);
      const warnings = all.filter((a) => a.health.warning);
      if (warnings.length > 0) io.out("");
      for (const a of warnings) io.out(`! ${a.name} (${a.health.status}): ${a.health.warning}`);
    });

  agents
    .command("create")
    .summary("register an agent and print its credential once")
    .description("Register an agent with its scope. Prints the client id and secret once, and a curl for the token endpoint.")
    .argument("<name>", "lowercase letters, digits and dashes, e.g. openclaw-inbox")
    .option("--description <text>", "what the agent is for")
    .option("--job-kinds <kinds>", "comma-separated job kinds it may claim", list, [])
    .option("--pipelines <names>", "comma-separated pipelines it may run", list, [])
    .action(async (name: string, options: { description?: string; jobKinds: string[]; pipelines: string[] }) => {
      await context.connectDatabase();
      const { agent, clientId, clientSecret } = await createAgent(
        { name, description: options.description, jobKinds: options.jobKinds, pipelines: options.pipelines },
        "cli",
      );
      io.out(`Created agent ${agent.name} (${agent.id}).`);
      io.out(`Pipelines: ${scopeSummary(agent.pipelines)}   Job kinds: ${scopeSummary(agent.jobKinds)}`);
      printCredentials(clientId, clientSecret);
    });

  agents
    .command("update")
    .summary("change an agent's description or scope")
    .description("Change the description or scope; the new scope applies to the agent's next request. A list replaces the old one.")
    .argument("<name>", "the agent's name")
    .option("--description <text>", "what the agent is for (empty to clear)")
    .option("--job-kinds <kinds>", "comma-separated job kinds (empty to clear)", list)
    .option("--pipelines <names>", "comma-separated pipelines (empty to clear)", list)
    .option("--check-in-minutes <n>", "how often it is expected to check in; longer with work waiting warns the owner", (v) => Number(v))
    .action(async (name: string, options: { description?: string; jobKinds?: string[]; pipelines?: string[]; checkInMinutes?: number }) => {
      await context.connectDatabase();
      const agent = await updateAgent(name, options, "cli");
      io.out(
        `Updated ${agent.name}. Pipelines: ${scopeSummary(agent.pipelines)}   Job kinds: ${scopeSummary(agent.jobKinds)}   Check-in: every ${agent.checkInMinutes} min`,
      );
    });

  agents
    .command("rotate-secret")
    .summary("issue a new client secret")
    .description("Issue a new client secret (printed once); the old one stops working. Tokens already issued stay valid unless --revoke-tokens.")
    .argument("<name>", "the agent's name")
    .option("--revoke-tokens", "also revoke every token the agent holds")
    .action(async (name: string, options: { revokeTokens?: boolean }) => {
      await context.connectDatabase();
      const rotated = await rotateClientSecret(name, { revokeTokens: options.revokeTokens, by: "cli" });
      io.out(`New client secret for ${rotated.agent.name}; the old one no longer works.`);
      if (options.revokeTokens) io.out(`Revoked ${plural(rotated.revokedTokens, "token")}.`);
      printCredentials(rotated.clientId, rotated.clientSecret);
    });

  for (const [command, disabled] of [["disable", true], ["enable", false]] as const) {
    agents
      .command(command)
      .summary(disabled ? "stop an agent and revoke its tokens" : "let a disabled agent get tokens again")
      .description(disabled ? "Stop an agent: its tokens are revoked at once and it cannot get new ones." : "Let a disabled agent exchange its credential again.")
      .argument("<name>", "the agent's name")
      .action(async (name: string) => {
        await context.connectDatabase();
        const agent = await setAgentDisabled(name, disabled, "cli");
        io.out(disabled ? `Disabled ${agent.name}; its tokens were revoked.` : `Enabled ${agent.name}; it can get tokens again.`);
      });
  }

  agents
    .command("delete")
    .summary("delete an agent and its tokens")
    .description("Delete an agent and its tokens. Its audit events are kept.")
    .argument("<name>", "the agent's name")
    .action(async (name: string) => {
      await context.connectDatabase();
      const agent = await deleteAgent(name);
      io.out(`Deleted ${agent.name}.`);
    });

  agents
    .command("revoke-tokens")
    .summary("revoke every token an agent holds")
    .description("Revoke every token the agent holds; it must exchange its client credential again.")
    .argument("<name>", "the agent's name")
    .action(async (name: string) => {
      await context.connectDatabase();
      const { agent, revoked } = await revokeAllForAgent(name, "cli");
      io.out(`Revoked ${plural(revoked, "token")} of ${agent.name}.`);
    });

  agents
    .command("audit")
    .summary("show what an agent did and tried")
    .description("Show the agent's recent audit events: token exchanges, refusals, scope denials, changes.")
    .argument("<name>", "the agent's name")
    .option("--limit <n>", "how many events", (v) => Number.parseInt(v, 10), 50)
    .option("--json", "print JSON instead of a table")
    .action(async (name: string, options: { limit: number; json?: boolean }) => {
      await context.connectDatabase();
      const { audit } = await getAgentDetail(name, { auditLimit: options.limit });
      if (options.json) {
        io.out(JSON.stringify(audit, null, 2));
        return;
      }
      if (audit.length === 0) {
        io.out("No events yet.");
        return;
      }
      const rows = audit.map((e) => [
        formatTimestamp(e.createdAt, "-", { seconds: true }),
        e.action,
        e.allowed ? "allowed" : "refused",
        e.target ?? "-",
        e.ip ?? "-",
        e.requestId ?? "-",
      ]);
      for (const line of formatTable(["TIME", "ACTION", "RESULT", "TARGET", "IP", "REQUEST"], rows)) io.out(line);
    });
};
