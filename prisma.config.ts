// Prisma CLI configuration: the Rust-free engine with the pg driver adapter (see README, "Database").
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// `prisma generate` only needs the schema, but 6.19 validates env("DATABASE_URL") while reading it.
const PLACEHOLDER_URL = "postgresql://unset@127.0.0.1:1/unset";
process.env.DATABASE_URL ??= PLACEHOLDER_URL;

// The CLI skips .env loading when a config file exists; scripts/start.ts, the CLI and the test
// harness export DATABASE_URL before they run it. `migrate diff` between two datamodels builds the
// adapter but never connects, so the placeholder is harmless there.

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? PLACEHOLDER_URL }),
});
