#!/usr/bin/env node
// Keeps OpenClaw's MCP connection to Personal Automations supplied with a fresh, short-lived access
// token, so the agent never sees the client secret or the refresh token.
//
// Run it from the operator's crontab (not from the agent), every 10 minutes with the default
// 15-minute access tokens:
//
//   */10 * * * * node /path/to/openclaw/refresh-token.mjs >> ~/.local/state/pa-refresh.log 2>&1
//
// It reads a credentials file (mode 600, outside the agent's workspace):
//   { "baseUrl": "https://pa.example.com", "clientId": "pa_client_…", "clientSecret": "pa_secret_…" }
// uses the stored refresh token when there is one (rotating it), falls back to the client
// credentials when the refresh token is spent, expired or revoked, stores the new refresh token,
// and then writes the access token into OpenClaw's config with `openclaw mcp set`.
//
// Options:
//   --credentials <file>  default ~/.config/personal-automations/openclaw-agent.json
//   --server <name>       the mcp.servers entry to write (default personal-automations)
//   --print               print the access token instead of running `openclaw mcp set`
//   --env-file <file>     also (re)write PA_ACCESS_TOKEN=… into this env file, for configs that
//                         use "Bearer ${PA_ACCESS_TOKEN}" (the gateway must reload it)
//
// Node 18+ and no dependencies. Tokens are never written to the log.

import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

const credentialsFile = option("--credentials", path.join(os.homedir(), ".config", "personal-automations", "openclaw-agent.json"));
const serverName = option("--server", "personal-automations");
const envFile = option("--env-file", null);
const printOnly = args.includes("--print");

async function writePrivate(file, text) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

async function requestTokens(baseUrl, body) {
  const response = await fetch(new URL("/api/agent/token", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(`token endpoint answered ${response.status}: ${json?.error?.message ?? "no message"}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

async function main() {
  const credentials = JSON.parse(await readFile(credentialsFile, "utf8"));
  const { baseUrl, clientId, clientSecret } = credentials;
  if (!baseUrl || !clientId || !clientSecret) {
    throw new Error(`${credentialsFile} needs baseUrl, clientId and clientSecret`);
  }

  let tokens = null;
  if (credentials.refreshToken) {
    try {
      tokens = await requestTokens(baseUrl, { grant_type: "refresh_token", refresh_token: credentials.refreshToken });
    } catch (error) {
      // 401: spent, expired or revoked (a reused refresh token revokes its family). Start a new family.
      if (error.status !== 401) throw error;
      console.error(`${new Date().toISOString()} refresh refused (${error.message}); exchanging the client credentials`);
    }
  }
  tokens ??= await requestTokens(baseUrl, { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });

  // Store the rotated refresh token first: it is the one that works from now on.
  await writePrivate(credentialsFile, JSON.stringify({ ...credentials, refreshToken: tokens.refresh_token }, null, 2) + "\n");

  if (envFile) {
    const existing = await readFile(envFile, "utf8").catch(() => "");
    const kept = existing.split("\n").filter((line) => line && !line.startsWith("PA_ACCESS_TOKEN="));
    await writePrivate(envFile, [...kept, `PA_ACCESS_TOKEN=${tokens.access_token}`].join("\n") + "\n");
  }

  if (printOnly) {
    process.stdout.write(tokens.access_token + "\n");
    return;
  }

  const server = {
    url: new URL("/api/agent/mcp", baseUrl).toString(),
    transport: "streamable-http",
    headers: { Authorization: `Bearer ${tokens.access_token}` },
  };
  // execFile, not a shell: the token never passes through shell parsing or history.
  await promisify(execFile)("openclaw", ["mcp", "set", serverName, JSON.stringify(server)]);
  console.error(
    `${new Date().toISOString()} access token refreshed for ${serverName} (valid ${Math.round(tokens.expires_in / 60)} min; ` +
      `scope: ${tokens.scope.jobKinds.length} job kinds, ${tokens.scope.pipelines.length} pipelines)`,
  );
}

main().catch((error) => {
  console.error(`${new Date().toISOString()} token refresh failed: ${error.message}`);
  process.exit(1);
});
