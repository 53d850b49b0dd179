import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrateDeploy } from "@/lib/db/migrate";

// A real PostgreSQL for a test run: TEST_DATABASE_URL's server when set (a URL to a database the
// user may CREATE DATABASE from), otherwise a throw-away embedded cluster in a temp folder.
// The run's databases are all named pa_test_<runId>_… and dropped at the end.

export type TestCluster = { adminUrl: string; runId: string; template: string; stop(): Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(adminUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startTestCluster(): Promise<TestCluster> {
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const template = `pa_test_${runId}_template`;
  let adminUrl: string;
  let stopCluster: () => Promise<void>;

  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = external;
    stopCluster = async () => {};
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pa-test-pg-"));
    // As root, PostgreSQL runs as a separate system user that must be able to enter the folder.
    await chmod(dir, 0o755);
    const cluster = await startEmbeddedDatabase({
      dir: path.join(dir, "data"),
      port: await freePort(),
      database: "postgres",
      ephemeral: true,
    });
    adminUrl = cluster.adminUrl;
    stopCluster = async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }

  await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
  await migrateDeploy(databaseUrl(adminUrl, template), { quiet: true });

  return {
    adminUrl,
    runId,
    template,
    async stop() {
      const { rows } = await adminQuery(
        adminUrl,
        `SELECT datname FROM pg_database WHERE datname LIKE 'pa\\_test\\_${runId}\\_%'`,
      );
      for (const row of rows) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      await stopCluster();
    },
  };
}

/** A new database for one test file, cloned from the migrated template (fast: a file copy). */
export async function createTestDatabase(cluster: Pick<TestCluster, "adminUrl" | "runId" | "template">): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pa_test_${cluster.runId}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(cluster.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${cluster.template}"`);
  return {
    url: databaseUrl(cluster.adminUrl, name),
    drop: () => adminQuery(cluster.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {}),
  };
}
