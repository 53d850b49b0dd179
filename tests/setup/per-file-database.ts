import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { createTestDatabase } from "./database";

// Each test file gets its own database, so files run in parallel without seeing each other's rows,
// and its own context hub folder, so seeding demo data or capturing notes never writes into .data/.
const database = await createTestDatabase(inject("testDatabase"));
const contextHub = await mkdtemp(path.join(os.tmpdir(), "pa-test-hub-"));
process.env.DATABASE_URL = database.url;
process.env.CONTEXT_HUB_DIR = contextHub;
resetConfigForTests();

afterAll(async () => {
  // Runs started in the background (a completed job's result handler) finish before the database goes.
  // Imported here, not at the top: a setup file's imports load before a test file's vi.mock applies,
  // and the runner would then hold the real pipeline registry instead of the test's.
  const { pendingResultHandlers } = await import("@/lib/jobs/result-handler");
  const { activeRunCount } = await import("@/lib/pipelines/runner");
  for (let waited = 0; (activeRunCount() > 0 || pendingResultHandlers() > 0) && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  await disconnectDb();
  await database.drop();
  await rm(contextHub, { recursive: true, force: true });
});
