import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildIfNeeded, nextStartArgs } from "../../../scripts/lib/build";
import { createTestDatabase, freePort, startTestCluster } from "../../setup/database";
import { googleEnv, startFakeGmail } from "../../fakes/gmail-server";
import { startFakeNotifyWebhook } from "../../fakes/notify-webhook";
import { startFakeOpenAI } from "../../fakes/openai-server";

// The browser and HTTP tier: a production build of the app, served by `next start` against a
// fresh database on a real PostgreSQL, with a known owner account. The model server and Gmail (with
// Google's consent screen and token endpoint) are fakes on 127.0.0.1 that tests drive over HTTP.

declare module "vitest" {
  export interface ProvidedContext {
    e2e: {
      baseUrl: string;
      ownerEmail: string;
      ownerPassword: string;
      databaseUrl: string;
      dataDir: string;
      openaiUrl: string;
      gmailUrl: string;
      /** The owner's notification webhook (notify.send), a fake that keeps what it receives. */
      notifyUrl: string;
    };
  }
}

async function waitForHealth(baseUrl: string, server: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The app exited (${server.exitCode}):\n${output.join("")}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not become healthy in 90 s:\n${output.join("")}`);
}

export default async function setup(project: TestProject) {
  buildIfNeeded((line) => console.log(`[e2e] ${line}`));
  const cluster = await startTestCluster();
  const database = await createTestDatabase(cluster);

  // Create the owner through the real service, against the test database.
  process.env.DATABASE_URL = database.url;
  const { resetConfigForTests } = await import("@/lib/config");
  resetConfigForTests();
  const { createUser } = await import("@/lib/users/service");
  const { disconnectDb } = await import("@/lib/db/client");
  const ownerEmail = "owner@e2e.test";
  const ownerPassword = `e2e-${randomBytes(9).toString("base64url")}`;
  await createUser({ email: ownerEmail, password: ownerPassword, role: "owner", name: "E2E Owner" });
  await disconnectDb();

  // The model server the assistants talk to: scripted, on 127.0.0.1 (tests script it over HTTP).
  const openai = await startFakeOpenAI({ apiKey: "sk-e2e" });
  const gmail = await startFakeGmail({ email: "inbox@e2e.test" });
  const notify = await startFakeNotifyWebhook();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "pa-e2e-data-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const server = spawn(process.execPath, nextStartArgs(port, "127.0.0.1"), {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
      APP_URL: baseUrl,
      NEXTAUTH_URL: baseUrl,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: "sk-e2e",
      // Only where a tier asks for it (the OpenClaw tier): the browser tier shows notify.send
      // failing for want of a webhook.
      ...(process.env.E2E_NOTIFY_WEBHOOK === "1" ? { NOTIFY_WEBHOOK_URL: notify.url } : {}),
      // Gmail and Google OAuth: the fake's client, consent screen, token endpoint and API. With a
      // client configured the sign-in page also offers "Continue with Google".
      ...googleEnv(gmail),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (process.env.E2E_LOG_LEVEL) process.stdout.write(chunk);
  };
  server.stdout?.on("data", collect);
  server.stderr?.on("data", collect);

  try {
    await waitForHealth(baseUrl, server, output);
  } catch (error) {
    server.kill("SIGTERM");
    await cluster.stop();
    await openai.close();
    await gmail.close();
    await notify.close();
    throw error;
  }
  project.provide("e2e", { baseUrl, ownerEmail, ownerPassword, databaseUrl: database.url, dataDir, openaiUrl: openai.url, gmailUrl: gmail.url, notifyUrl: notify.url });

  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
    await cluster.stop();
    await openai.close();
    await gmail.close();
    await notify.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
