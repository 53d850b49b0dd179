import type { Command } from "commander";
import type { ConnectedDatabase } from "./database";
import type { CliIo } from "./io";

// What every command group receives. A feature adds `registerXCommands(program, context)` in
// cli/commands/x.ts and lists it in COMMAND_GROUPS in cli/program.ts.

export type CliContext = {
  io: CliIo;
  /** Opens the database on first call; commands that need none never call it. */
  connectDatabase(): Promise<ConnectedDatabase>;
  /** True with the global --verbose flag. */
  verbose(): boolean;
};

export type RegisterCommands = (program: Command, context: CliContext) => void;
