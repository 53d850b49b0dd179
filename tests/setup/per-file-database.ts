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
  await disconnectDb();
  await database.drop();
  await rm(contextHub, { recursive: true, force: true });
});
