import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runningCluster } from "@/scripts/lib/database";
import { withEnv } from "@/tests/setup/config-env";
import { cli } from "./run-cli";

// The CLI next to another PostgreSQL: when the server on the embedded port is not the app's own
// (it refuses the app's password), the error names the server it tried and what to do.

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function dataDirWithCluster(password: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "pa-cli-data-"));
  dirs.push(dir);
  await mkdir(path.join(dir, "postgres"));
  await writeFile(path.join(dir, "postgres", "PG_VERSION"), "18\n");
  await writeFile(path.join(dir, "postgres-password"), `${password}\n`);
  return dir;
}

describe("finding the database", () => {
  it("names the server it tried and the fix when another PostgreSQL holds the embedded port", async () => {
    // The test cluster plays "another PostgreSQL": it does not know the data folder's password.
    const otherPort = new URL(process.env.DATABASE_URL!).port;
    const dataDir = await dataDirWithCluster("not-the-password-of-that-server");
    const run = await withEnv({ DATABASE_URL: undefined, DATA_DIR: dataDir, EMBEDDED_PG_PORT: otherPort }, () => cli(["runs", "list"]));
    expect(run.code).toBe(1);
    expect(run.err).toContain("refused the password");
    expect(run.err).toContain(`postgresql://postgres@127.0.0.1:${otherPort}/automations`);
    expect(run.err).toContain(`data in ${dataDir}/postgres`);
    expect(run.err).toMatch(/EMBEDDED_PG_PORT/);
    expect(run.err).not.toContain("not-the-password-of-that-server");
  });

  it("reads the running cluster's port from its lock file, and ignores a stale one", async () => {
    const dataDir = await dataDirWithCluster("x");
    const lock = path.join(dataDir, "postgres", "postmaster.pid");
    await writeFile(lock, `${process.pid}\n${dataDir}/postgres\n1765000000\n54329\n/tmp\n127.0.0.1\n`);
    expect(runningCluster(path.join(dataDir, "postgres"))).toEqual({ pid: process.pid, port: 54329 });
    // A pid no process has: the cluster is not running (it crashed and left its lock behind).
    await writeFile(lock, `2147483646\n${dataDir}/postgres\n1765000000\n54329\n`);
    expect(runningCluster(path.join(dataDir, "postgres"))).toBeNull();
  });
});
