// npm start: one command from a fresh clone to a signed-in dashboard.
//   1. read .env and validate the configuration (a bad variable is named, then we stop)
//   2. use DATABASE_URL, or start the embedded PostgreSQL under DATA_DIR/postgres
//   3. apply migrations, make sure an owner account exists (printing its first password once)
//   4. build if the sources changed, then serve on http://localhost:PORT
// `npm run dev` does the same with `next dev` instead of a production build.
import { spawn } from "node:child_process";
import { ConfigError, getConfig, resetConfigForTests } from "@/lib/config";
import { migrateDeploy } from "@/lib/db/migrate";
import { disconnectDb } from "@/lib/db/client";
import { ensureOwner } from "@/lib/users/service";
import { buildIfNeeded, nextBin } from "./lib/build";
import { ensureDatabase, loadDotEnv } from "./lib/database";
import { persistentSecret } from "./lib/secrets";

const dev = process.argv.includes("--dev");
const say = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  loadDotEnv();
  let config = getConfig();
  if (!config.AUTH_SECRET || !config.ENCRYPTION_KEYS) {
    process.env.AUTH_SECRET ||= persistentSecret(config.dataDir, "auth-secret");
    process.env.ENCRYPTION_KEYS ||= `local:${persistentSecret(config.dataDir, "encryption-key", "base64")}`;
    resetConfigForTests();
    config = getConfig();
  }

  const database = await ensureDatabase(say);
  say(database.embedded ? `Embedded PostgreSQL ready (data in ${config.dataDir}/postgres).` : "Using DATABASE_URL.");
  resetConfigForTests();
  config = getConfig();

  say("Applying database migrations …");
  await migrateDeploy(database.url, { quiet: true });

  const owner = await ensureOwner(config.OWNER_EMAIL);
  await disconnectDb();

  if (!dev) buildIfNeeded(say);

  const child = spawn(process.execPath, [nextBin(), dev ? "dev" : "start", "-p", String(config.PORT)], {
    stdio: ["inherit", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: config.APP_URL },
  });

  const banner = [
    "",
    `  Personal Automations is starting on ${config.APP_URL}`,
    owner.created
      ? `  First sign-in:  ${owner.email}  /  ${owner.password}\n  (shown once: change it in Settings, or reset it with \`npm run cli -- users reset-password ${owner.email}\`)`
      : "  Sign in with your account. Lost the password? `npm run cli -- users reset-password <email>`",
    "",
  ].join("\n");
  console.log(banner);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
    await database.embedded?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 0));
}

main().catch(async (error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error("[start] Could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
