import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { requireDatabaseUrl } from "@/lib/config";

// The one Prisma client. Created on first use (so `next build` never needs a database) and kept
// on globalThis so hot reloads in development do not open a new pool each time.

const globalForDb = globalThis as unknown as { __paPrisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: requireDatabaseUrl(), max: 10 });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.__paPrisma ??= createClient();
  return globalForDb.__paPrisma;
}

export async function disconnectDb(): Promise<void> {
  const client = globalForDb.__paPrisma;
  globalForDb.__paPrisma = undefined;
  await client?.$disconnect();
}
