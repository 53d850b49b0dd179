#!/usr/bin/env node
// Keeps OpenClaw's MCP connection to Personal Automations supplied with a fresh access token, so
// the agent never sees the client secret or the refresh token, and the token never sits in
// openclaw.json or in any command's output.
//
// The token goes into OpenClaw's own env file (~/.openclaw/.env, mode 600) as PA_ACCESS_TOKEN,
// and the mcp.servers entry reads it: "Authorization": "Bearer ${PA_ACCESS_TOKEN}". OpenClaw 2026.9
// reads that file when the gateway starts, so after a refresh the gateway must restart.
//
//   node openclaw/refresh-token.mjs --configure          first time: also writes the mcp.servers entry
//   node openclaw/refresh-token.mjs --restart-gateway    from the operator's crontab (see README)
//
// It reads a credentials file (mode 600, outside the agent's workspace):
//   { "baseUrl": "https://pa.example.com", "clientId": "pa_client_…", "clientSecret": "pa_secret_…" }
// uses the stored refresh token when there is one (rotating it), falls back to the client
// credentials when the refresh token is spent, expired or revoked, and stores the new refresh token.
//
// Options:
//   --credentials <file>  default ~/.config/personal-automations/openclaw-agent.json
//   --token-env <file>    the env file to write PA_ACCESS_TOKEN into (default ~/.openclaw/.env;
//                         other lines are kept)
//   --server <name>       the mcp.servers entry --configure writes (default personal-automations)
//   --configure           write the mcp.servers entry with `openclaw mcp set` (needed once)
//   --restart-gateway     run `openclaw gateway restart` afterwards, so the gateway reads the token
//   --openclaw <path>     the openclaw executable (default: $OPENCLAW_BIN, then next to this node,
//                         then PATH; cron's PATH is short, so the first two matter there)
//
// Node 18+ and no dependencies. Tokens are never printed or logged.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
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
const tokenEnvFile = option("--token-env", path.join(os.homedir(), ".openclaw", ".env"));
const serverName = option("--server", "personal-automations");
const configure = args.includes("--configure");
const restartGateway = args.includes("--restart-gateway");

/** cron runs with PATH=/usr/bin:/bin, where a user-installed openclaw is rarely found. */
function openclawExecutable() {
  const given = option("--openclaw", process.env.OPENCLAW_BIN);
  if (given) return given;
  const besideNode = path.join(path.dirname(process.execPath), "openclaw");
  return existsSync(besideNode) ? besideNode : "openclaw";
}

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

async function openclaw(commandArgs) {
  // execFile, not a shell: nothing passes through shell parsing or history.
  await promisify(execFile)(openclawExecutable(), commandArgs, { env: process.env });
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

  const existing = await readFile(tokenEnvFile, "utf8").catch(() => "");
  const kept = existing.split("\n").filter((line) => line && !line.startsWith("PA_ACCESS_TOKEN="));
  await writePrivate(tokenEnvFile, [...kept, `PA_ACCESS_TOKEN=${tokens.access_token}`].join("\n") + "\n");

  if (configure) {
    const server = {
      url: new URL("/api/agent/mcp", baseUrl).toString(),
      transport: "streamable-http",
      // OpenClaw substitutes ${PA_ACCESS_TOKEN} from its environment; the token itself stays out of the config.
      headers: { Authorization: "Bearer ${PA_ACCESS_TOKEN}" },
      connectionTimeoutMs: 30000,
    };
    await openclaw(["mcp", "set", serverName, JSON.stringify(server)]);
  }
  if (restartGateway) await openclaw(["gateway", "restart"]);

  console.error(
    `${new Date().toISOString()} access token refreshed into ${tokenEnvFile} (valid ${Math.round(tokens.expires_in / 60)} min; ` +
      `scope: ${tokens.scope.jobKinds.length} job kinds, ${tokens.scope.pipelines.length} pipelines)` +
      (configure ? `; mcp.servers.${serverName} written` : "") +
      (restartGateway ? "; gateway restarted" : ""),
  );
}

main().catch((error) => {
  console.error(`${new Date().toISOString()} token refresh failed: ${error.message}`);
  process.exit(1);
});
