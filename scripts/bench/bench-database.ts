import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/service";
import { createTestDatabase, startTestCluster } from "../../tests/setup/database";
import { checkpoint, onCleanup } from "./lifecycle";

// The start every benchmark with a database shares: one scratch folder for everything on disk (the
// test cluster too, through TMPDIR, so one removal at the end leaves nothing behind), a throw-away
// PostgreSQL with a migrated database, this process pointed at it, and each step's cleanup registered.

export type BenchDatabase = { scratch: string; url: string };

export async function startBenchDatabase(options: { name: string; logLevel: string }): Promise<BenchDatabase> {
  process.env.LOG_LEVEL = options.logLevel;
  const scratch = await mkdtemp(path.join(os.tmpdir(), `pa-bench-${options.name}-`));
  await chmod(scratch, 0o755); // PostgreSQL may run as its own system user and must enter it
  onCleanup(`remove ${scratch}`, () => rm(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  process.env.TMPDIR = scratch;

  checkpoint("Starting a throw-away PostgreSQL …");
  const cluster = await startTestCluster();
  onCleanup("stop the PostgreSQL cluster", () => cluster.stop());
  const database = await createTestDatabase(cluster);
  onCleanup("drop the benchmark database", () => database.drop());
  process.env.DATABASE_URL = database.url;
  resetConfigForTests();
  onCleanup("disconnect from the database", () => disconnectDb());
  return { scratch, url: database.url };
}

/** An owner account to sign in with over HTTP (signIn in app-server.ts). */
export async function createBenchOwner(): Promise<{ email: string; password: string }> {
  const email = "bench@bench.test";
  const password = `bench-${randomBytes(12).toString("base64url")}`;
  await createUser({ email, password, role: "owner", name: "Benchmark" });
  return { email, password };
}
