// npm run db:migration -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql by diffing the schema as of the last
// migration (prisma/schema.snapshot.prisma) against prisma/schema.prisma. `prisma migrate dev`
// needs a native engine that cannot run offline; `migrate diff` between two datamodels does not.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ensureDatabase, loadDotEnv } from "./lib/database";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "..");
const schema = path.join(root, "prisma", "schema.prisma");
const snapshot = path.join(root, "prisma", "schema.snapshot.prisma");
const migrations = path.join(root, "prisma", "migrations");

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lowercase letters, digits and underscores)");
  process.exit(2);
}

loadDotEnv();
// `migrate diff` opens a connection even between two datamodels, so give it the usual database.
const database = await ensureDatabase();
const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
const sql = execFileSync(
  process.execPath,
  [require.resolve("prisma/build/index.js"), "migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"],
  { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: database.url, PRISMA_HIDE_UPDATE_MESSAGE: "1" } },
);
await database.embedded?.stop();

if (!sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim())) {
  console.log("The schema has not changed since the last migration; nothing written.");
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(migrations, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
const lock = path.join(migrations, "migration_lock.toml");
if (!existsSync(lock)) writeFileSync(lock, 'provider = "postgresql"\n');
copyFileSync(schema, snapshot);
console.log(`Wrote ${path.relative(root, path.join(dir, "migration.sql"))}. It is applied at the next start.`);
