import { Command } from "commander";
import { configureLogging } from "@/lib/logger";
import { registerAgentsCommands } from "./commands/agents";
import { registerApprovalsCommands } from "./commands/approvals";
import { registerAreasCommands } from "./commands/areas";
import { registerDbCommands } from "./commands/db";
import { registerJobsCommands } from "./commands/jobs";
import { registerPipelinesCommands } from "./commands/pipelines";
import { registerRunsCommands } from "./commands/runs";
import { registerSchedulesCommands } from "./commands/schedules";
import { registerSecretsCommands } from "./commands/secrets";
import { registerTriageCommands } from "./commands/triage";
import { registerUsersCommands } from "./commands/users";
import { registerWebhooksCommands } from "./commands/webhooks";
import type { CliContext, RegisterCommands } from "./context";
import { createDatabaseConnector, type DatabaseConnector } from "./database";
import { CLI_INVOCATION, type CliIo } from "./io";
import { EXIT, reportError } from "./report-error";

// The `pa` command line. Each feature registers its command group here, in the order `--help` lists them.
const COMMAND_GROUPS: RegisterCommands[] = [registerUsersCommands, registerAgentsCommands, registerPipelinesCommands, registerRunsCommands, registerJobsCommands, registerApprovalsCommands, registerSchedulesCommands, registerWebhooksCommands, registerAreasCommands, registerTriageCommands, registerSecretsCommands, registerDbCommands];

export type ProgramOptions = {
  /** Defaults to a new connector (DATABASE_URL or the embedded cluster); the caller closes it. */
  database?: DatabaseConnector;
};

export function buildProgram(io: CliIo, options: ProgramOptions = {}): Command {
  const database = options.database ?? createDatabaseConnector();
  const program = new Command("pa");
  const verbose = () => Boolean(program.opts().verbose);

  // Set before the groups are added: subcommands inherit output, exit and help settings.
  program
    .description("Personal Automations from the terminal: accounts, pipelines and their runs, and the database.")
    .option("--verbose", "show progress and full error details")
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, "")),
      writeErr: (text) => io.err(text.replace(/\n$/, "")),
    })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", `\nRun it as \`${CLI_INVOCATION} <command>\`, e.g. \`${CLI_INVOCATION} users list\`.`)
    // Standard output is the command's output (JSON that scripts parse): logs go to standard error,
    // and only with --verbose.
    .hook("preAction", () => {
      configureLogging({
        level: verbose() ? undefined : "silent",
        destination: { write: (line: string) => io.err(line.replace(/\n$/, "")) },
      });
    });

  const context: CliContext = {
    io,
    verbose,
    connectDatabase: () => database.connect(verbose() ? io.err : undefined),
  };
  for (const register of COMMAND_GROUPS) register(program, context);
  return program;
}

/** Runs one command line (without `node script`) and returns the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo, options: ProgramOptions = {}): Promise<number> {
  const program = buildProgram(io, options);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, Boolean(program.opts().verbose));
  }
}
