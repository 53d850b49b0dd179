// npm start: one command from a fresh clone to a signed-in dashboard.
//   1. read .env and validate the configuration (a bad variable is named, then we stop)
//   2. refuse politely when another `npm start` already runs from this folder
//   3. use DATABASE_URL, or start the embedded PostgreSQL under DATA_DIR/postgres (its output goes
//      to DATA_DIR/logs/postgres.log, shown only when it fails)
//   4. apply migrations, make sure an owner account exists
//   5. build if the sources changed (a progress bar with an estimate), then serve on APP_URL
//   6. once the app answers, show the first owner password last, in a box (and in a 0600 file)
// On a terminal the app's JSON logs are printed readably (pino-pretty); piped, they stay JSON.
// `npm run dev` does the same with `next dev` instead of a production build.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pretty from "pino-pretty";
import { ConfigError, getConfig, resetConfigForTests } from "@/lib/config";
import { migrateDeploy } from "@/lib/db/migrate";
import { disconnectDb } from "@/lib/db/client";
import { ensureOwner } from "@/lib/users/service";
import { buildIsCurrent, markBuilt, nextBin, nextStartArgs, ROOT, sourceFingerprint } from "./lib/build";
import { buildWithProgress } from "./lib/build-progress";
import { ensureDatabase, loadDotEnv } from "./lib/database";
import { claimInstance, runningInstance } from "./lib/instance-lock";
import { boxed, saveOwnerPassword } from "./lib/owner-notice";
import { persistentSecret } from "./lib/secrets";

const dev = process.argv.includes("--dev");
const interactive = Boolean(process.stdout.isTTY);
const say = (line: string) => console.log(`[start] ${line}`);

class StartError extends Error {}

async function waitForHealth(url: string, child: ReturnType<typeof spawn>): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log written)";
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  let config = getConfig();
  mkdirSync(config.dataDir, { recursive: true });

  const other = runningInstance(config.dataDir);
  if (other) {
    throw new StartError(
      `Personal Automations is already running from this folder (pid ${other.pid}, since ${other.startedAt}) at ${other.url}.\n` +
        "  Open it there, or stop it (Ctrl-C in its terminal) before starting it again. Two instances cannot share one embedded database.",
    );
  }

  if (!config.AUTH_SECRET || !config.ENCRYPTION_KEYS) {
    process.env.AUTH_SECRET ||= persistentSecret(config.dataDir, "auth-secret");
    process.env.ENCRYPTION_KEYS ||= `local:${persistentSecret(config.dataDir, "encryption-key", "base64")}`;
    resetConfigForTests();
    config = getConfig();
  }

  const logsDir = path.join(config.dataDir, "logs");
  mkdirSync(logsDir, { recursive: true });
  const databaseLog = path.join(logsDir, "postgres.log");
  const toDatabaseLog = (line: string) => appendFileSync(databaseLog, `${new Date().toISOString()} ${line}\n`);
  let database: Awaited<ReturnType<typeof ensureDatabase>>;
  try {
    say(config.DATABASE_URL ? "Connecting to DATABASE_URL …" : "Starting the embedded PostgreSQL …");
    database = await ensureDatabase(toDatabaseLog);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "it stopped without saying why";
    throw new StartError(
      `The database did not start: ${reason}\n  Its output (${databaseLog}):\n${logTail(databaseLog)}\n` +
        "  If another program uses the port, set EMBEDDED_PG_PORT in .env; to use your own server, set DATABASE_URL.",
    );
  }
  say(database.embedded ? `Database ready (embedded PostgreSQL, data in ${config.dataDir}/postgres).` : "Database ready (DATABASE_URL).");
  resetConfigForTests();
  config = getConfig();
  const release = claimInstance(config.dataDir, config.APP_URL);

  await migrateDeploy(database.url, { quiet: true });
  const owner = await ensureOwner(config.OWNER_EMAIL);
  await disconnectDb();

  if (!dev && !buildIsCurrent()) {
    const fingerprint = sourceFingerprint();
    await buildWithProgress({ root: ROOT, dataDir: config.dataDir, nextBin: nextBin(), interactive, say });
    markBuilt(fingerprint);
  }

  say(`Starting the app on ${config.APP_URL} …`);
  const child = spawn(process.execPath, dev ? [nextBin(), "dev", "-p", String(config.PORT)] : nextStartArgs(config.PORT), {
    stdio: ["inherit", interactive ? "pipe" : "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: config.APP_URL },
  });
  // Readable logs for a person; lines that are not JSON (Next's own) pass through unchanged.
  if (interactive) child.stdout?.pipe(pretty({ colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname,service", singleLine: true }));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
    await database.embedded?.stop().catch(() => {});
    release();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 0));

  const healthy = await waitForHealth(`http://127.0.0.1:${config.PORT}`, child);
  if (!healthy) return;
  const lines = [`Personal Automations is running: ${config.APP_URL}`, ""];
  if (owner.created) {
    const file = saveOwnerPassword(config.dataDir, owner.email, owner.password);
    lines.push(
      "Your first sign-in (shown once):",
      `  email     ${owner.email}`,
      `  password  ${owner.password}`,
      "",
      `Also saved, readable only by you, in ${path.relative(process.cwd(), file) || file}.`,
      "Change it in Settings, then delete that file.",
    );
  } else {
    lines.push("Sign in with your account. Lost the password?", "  npm run cli -- users reset-password <email>");
  }
  // Straight to the terminal, after the start-up lines: not through the logger, never in a log file.
  process.stdout.write(`\n${boxed(lines)}\n\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartError) console.error(`[start] ${error.message}`);
  else console.error("[start] Could not start:", error instanceof Error ? error.message : "an unknown error (run with DEBUG=1 for more)");
  process.exit(1);
});
