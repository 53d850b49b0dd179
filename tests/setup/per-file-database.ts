import { afterAll, inject } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { disconnectDb } from "@/lib/db/client";
import { createTestDatabase } from "./database";

// Each test file gets its own database, so files run in parallel without seeing each other's rows.
const database = await createTestDatabase(inject("testDatabase"));
process.env.DATABASE_URL = database.url;
resetConfigForTests();

afterAll(async () => {
  await disconnectDb();
  await database.drop();
});
