import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "@/tests/setup/database";
import { screenshot } from "@/tests/e2e/setup/browser";
import { signInForCookie } from "@/tests/e2e/setup/session";
import { openSignedIn } from "@/tests/e2e/setup/signed-in";
import { receivedNotifications } from "@/tests/fakes/notify-webhook";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type ScriptedReply } from "@/tests/fakes/openai-server";
import { fill, jsonIn, mustSucceed, readKitSteps, ROOT, sh, startGateway } from "./kit-steps";

// The real OpenClaw (2026.9.6, on Node 24) against the app, following openclaw/README.md step by
// step: register the agent with our CLI, store its credentials, exchange them and configure
// OpenClaw with refresh-token.mjs, install the skill, add the cron round, fire it. A scripted
// OpenAI-compatible model on 127.0.0.1 plays the agent's model. Checked on the platform: the job
// was claimed and completed by this agent, an out-of-scope claim was refused and audited, and a
// round with a revoked token shows as failed on the Agents page and reaches the owner as a
// notification. OpenClaw's CLI is slow (15–50 s a command), so one HOME and one gateway serve all.

const { baseUrl, databaseUrl, ownerEmail, ownerPassword, notifyUrl } = inject("e2e");
const { nodeBinDir, openclawBinDir } = inject("openclaw");
const steps = readKitSteps();

const MODEL_KEY = "sk-openclaw-tier";
let home: string;
let env: NodeJS.ProcessEnv;
let model: FakeOpenAI;
let gateway: ChildProcess | undefined;
const gatewayLog: string[] = [];
let cookie: string;
let cronJobId: string;
let agentId: string;
const timings: Record<string, number> = {};

const text = (content: unknown) =>
  typeof content === "string" ? content : Array.isArray(content) ? content.map((p: { text?: string }) => p.text ?? "").join("") : "";

/** The value of a JSON string field in a tool result, whether the result is raw or JSON-encoded again. */
function field(source: string, name: string): string | null {
  return source.match(new RegExp(`\\\\?"${name}\\\\?"\\s*:\\s*\\\\?"([^"\\\\]+)`))?.[1] ?? null;
}

/**
 * The agent's model: follows the skill. Calls a tool directly when OpenClaw offers it as a
 * function, or through tool_call with the catalogue id otherwise (how OpenClaw 2026.9 shows MCP tools).
 */
function agentModel(request: RecordedRequest): ScriptedReply {
  const offered = request.tools.map((t) => t.function.name);
  if (offered.length === 0) return { text: "NO_REPLY" };
  const call = (name: string, args: Record<string, unknown>): ScriptedReply =>
    offered.includes(name) ? { toolCalls: [{ name, arguments: args }] } : { toolCalls: [{ name: "tool_call", arguments: { id: name, args } }] };
  const results = request.messages.filter((m) => m.role === "tool").map((m) => text(m.content));
  switch (results.length) {
    case 0:
      return call("personal-automations__job_kinds_list", {});
    case 1: // a kind outside the scope: the server refuses and records it
      return call("personal-automations__jobs_claim", { kinds: ["inbox.reply-draft"] });
    case 2:
      return call("personal-automations__jobs_claim", { limit: 1 });
    case 3: {
      const jobId = field(results[2]!, "jobId");
      const leaseId = field(results[2]!, "leaseId");
      if (!jobId || !leaseId) return { text: "NO_REPLY" };
      return call("personal-automations__jobs_complete", {
        jobId,
        leaseId,
        result: {
          summary: "Postgres 18 reads asynchronously with io_uring where available.",
          findings: [{ claim: "PostgreSQL 18 adds an asynchronous I/O subsystem.", source: "https://www.postgresql.org/docs/18/release-18.html" }],
          confidence: "medium",
        },
      });
    }
    default:
      return { text: /"status\\?"\s*:\s*\\?"succeeded/.test(results.at(-1)!) ? "Completed 1 job, failed 0." : "Completed 0 jobs, failed 1." };
  }
}

async function api<T>(pathname: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${pathname}`, { ...init, headers: { cookie, "content-type": "application/json", ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round((Date.now() - started) / 1000);
  }
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "pa-openclaw-home-"));
  model = await startFakeOpenAI({ apiKey: MODEL_KEY, responder: agentModel });
  env = {
    // OpenClaw 2026.9.6 prints nothing at all when VITEST is set, and vitest sets it (and its
    // relatives) for every child process: the commands run as a user's shell would run them.
    ...(Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^_*VITEST/.test(key))) as NodeJS.ProcessEnv),
    HOME: home,
    PATH: `${nodeBinDir}:${openclawBinDir}:${process.env.PATH}`,
    DATABASE_URL: databaseUrl,
    NO_COLOR: "1",
    OPENCLAW_LOG_LEVEL: "info",
  };
  // What the user already has before the kit: an OpenClaw gateway (local, token auth) and a model.
  const gatewayPort = await freePort();
  await mkdir(path.join(home, ".openclaw"), { recursive: true });
  await writeFile(
    path.join(home, ".openclaw", "openclaw.json"),
    JSON.stringify({
      gateway: { mode: "local", bind: "loopback", port: gatewayPort, auth: { mode: "token", token: `gw-${Date.now()}-openclaw-tier` } },
      models: {
        mode: "merge",
        providers: {
          scripted: {
            baseUrl: model.url,
            apiKey: MODEL_KEY,
            api: "openai-completions",
            models: [{ id: "agent", name: "Scripted agent", reasoning: false, input: ["text"], contextWindow: 128000, maxTokens: 4096 }],
          },
        },
      },
      agents: { defaults: { model: { primary: "scripted/agent" } } },
    }),
  );
  cookie = await signInForCookie(baseUrl, ownerEmail, ownerPassword);
}, 120_000);

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 2000));
    if (gateway.exitCode === null) gateway.kill("SIGKILL");
  }
  await model?.close();
  console.log(`[openclaw] step timings (s): ${JSON.stringify(timings)}`);
  if (home) await rm(home, { recursive: true, force: true });
});

describe("the OpenClaw kit, followed literally with the real OpenClaw", () => {
  let clientId = "";
  let clientSecret = "";

  it("registers the agent, stores its credentials, configures OpenClaw without the token in sight, and starts the gateway", async () => {
    expect(steps.bash).toHaveLength(7);
    const created = mustSucceed(await timed("1-agents-create", () => sh(steps.bash[0]!, env)), "step 1");
    clientId = created.stdout.match(/Client id:\s+(pa_client_\S+)/)![1]!;
    clientSecret = created.stdout.match(/Client secret:\s+(pa_secret_\S+)/)![1]!;

    const values = { "https://pa.example.com": baseUrl, "pa_client_…": clientId, "pa_secret_…": clientSecret };
    mustSucceed(await sh(fill(steps.bash[1]!, values), env), "step 2");
    expect((await stat(path.join(home, ".config/personal-automations/openclaw-agent.json"))).mode & 0o777).toBe(0o600);

    const configured = mustSucceed(await timed("3-refresh-configure-status", () => sh(steps.bash[2]!, env)), "step 3");
    const tokenEnv = await readFile(path.join(home, ".openclaw", ".env"), "utf8");
    const token = tokenEnv.match(/^PA_ACCESS_TOKEN=(pa_at_\S+)$/m)![1]!;
    expect((await stat(path.join(home, ".openclaw", ".env"))).mode & 0o777).toBe(0o600);
    // The token is in the env file only: not in the config, not in the output of the step's commands.
    // (`openclaw mcp show` would print it: it substitutes ${PA_ACCESS_TOKEN} before printing.)
    const status = jsonIn<{ servers: Array<{ name: string; ok: boolean; transport: string; launch: string }> }>(configured.stdout);
    expect(status.servers).toContainEqual(
      expect.objectContaining({ name: "personal-automations", ok: true, transport: "streamable-http", launch: `${baseUrl}/api/agent/mcp` }),
    );
    expect(configured.stdout + configured.stderr).not.toContain(token);
    const config = JSON.parse(await readFile(path.join(home, ".openclaw", "openclaw.json"), "utf8")) as {
      mcp: { servers: Record<string, { url: string; headers: Record<string, string> }> };
    };
    expect(config.mcp.servers["personal-automations"]).toMatchObject({ url: `${baseUrl}/api/agent/mcp`, headers: { Authorization: "Bearer ${PA_ACCESS_TOKEN}" } });
    expect(JSON.stringify(config)).not.toContain(token);

    // Step 3's `openclaw gateway restart`: this test's gateway is not a service, so it starts one.
    expect(steps.bash[3]).toBe("openclaw gateway restart");
    gateway = await timed("gateway-start", () => startGateway(env, gatewayLog));

    mustSucceed(await sh(steps.bash[4]!, env), "step 5");
    expect(await readFile(path.join(home, ".openclaw/skills/personal-automations-jobs/SKILL.md"), "utf8")).toContain("personal-automations__jobs_claim");

    const { agents } = await api<{ agents: Array<{ id: string; name: string }> }>("/api/agents");
    agentId = agents.find((a) => a.name === "openclaw")!.id;
  });

  it("adds the cron round, fires it, and the round claims and completes a job as this agent, with no shell or file tools", async () => {
    const { run } = await api<{ run: { output: { jobId: string } } }>("/api/jobs", {
      method: "POST",
      body: JSON.stringify({ kind: "research.brief", input: { topic: "Postgres 18 async I/O", questions: ["What changed?"] } }),
    });
    const added = mustSucceed(await timed("6-cron-add", () => sh(steps.bash[5]!, env)), "step 6");
    cronJobId = jsonIn<{ id: string }>(`${added.stdout}\n${added.stderr}`).id;
    expect(cronJobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    model.reset();
    const check = fill(steps.bash[6]!, { "<job-id>": cronJobId });
    const ran = await timed("7-cron-run-and-runs", () => sh(check, env, 600_000));
    mustSucceed(ran, `step 7\n--- gateway\n${gatewayLog.join("").slice(-3000)}`);
    expect(ran.stdout).toMatch(/"completionStatus":\s*"succeeded"/);

    const done = await api<{ job: { status: string; claimedByAgent: string; result: { confidence: string } } }>(`/api/jobs/${run.output.jobId}`);
    expect(done.job).toMatchObject({ status: "succeeded", claimedByAgent: agentId, result: { confidence: "medium" } });

    // The round's model saw our tools and none of OpenClaw's shell, process or file tools.
    const offered = new Set(model.requests.flatMap((r) => r.tools.map((t) => t.function.name)));
    expect(offered.size).toBeGreaterThan(0);
    for (const forbidden of ["exec", "process", "read", "write", "edit", "apply_patch", "bash", "browser", "web_fetch"]) {
      expect(offered.has(forbidden), `the round was offered ${forbidden}`).toBe(false);
    }
    const calls = model.requests.flatMap((r) => r.messages.flatMap((m) => (m.tool_calls ?? []) as Array<{ function: { name: string; arguments: string } }>));
    expect(calls.map((c) => `${c.function.name} ${c.function.arguments}`).join("\n")).toContain("personal-automations__jobs_complete");
  });

  it("refused the out-of-scope claim and recorded it; the Agents page shows the round and the claim", async () => {
    const detail = await api<{ agent: { health: { status: string; lastRoundAt: string; lastClaimAt: string } }; audit: Array<{ action: string; target: string; allowed: boolean }> }>(
      `/api/agents/${agentId}`,
    );
    expect(detail.audit).toContainEqual(expect.objectContaining({ action: "scope.denied", target: "inbox.reply-draft", allowed: false }));
    expect(detail.agent.health).toMatchObject({ status: "ok", lastRoundAt: expect.any(String), lastClaimAt: expect.any(String) });
    const page = await (await fetch(`${baseUrl}/agents`, { headers: { cookie } })).text();
    expect(page).toContain("checking in");
  });

  it("runs the crontab line as written, under cron's PATH, and it rotates the token", async () => {
    const before = await readFile(path.join(home, ".openclaw", ".env"), "utf8");
    const command = steps.cron
      .replace(/^(\S+\s+){5}/, "")
      .replace("/usr/bin/node", path.join(nodeBinDir, "node"))
      .replace("/path/to/personal-automations", ROOT)
      // The test's gateway runs in the foreground, not as a service: nothing to restart.
      .replace(" --restart-gateway", "")
      .replace("/var/tmp/pa-refresh.log", path.join(home, "pa-refresh.log"));
    const cronEnv = { HOME: home, PATH: "/usr/bin:/bin", SHELL: "/bin/sh", LOGNAME: "root" };
    mustSucceed(await sh(command, cronEnv), "the crontab line");
    const after = await readFile(path.join(home, ".openclaw", ".env"), "utf8");
    expect(after).toMatch(/^PA_ACCESS_TOKEN=pa_at_/m);
    expect(after).not.toBe(before);
    expect(await readFile(path.join(home, "pa-refresh.log"), "utf8")).toContain("access token refreshed");
  });

  it("reports a round with a revoked token as failed: on the Agents page, by notification, and in OpenClaw's run history", async () => {
    await api(`/api/agents/${agentId}/revoke-tokens`, { method: "POST", body: "{}" });
    const ran = await timed("revoked-round", () => sh(`openclaw cron run ${cronJobId} --wait --wait-timeout 5m`, env, 600_000));
    expect(ran.code).not.toBe(0);
    expect(ran.stdout).toMatch(/"status":\s*"error"/);

    const detail = await api<{ agent: { health: { status: string; warning: string; lastRefusal: { reason: string } } }; audit: Array<{ action: string }> }>(
      `/api/agents/${agentId}`,
    );
    expect(detail.agent.health.status).toBe("failing");
    expect(detail.agent.health.lastRefusal.reason).toMatch(/revoked/);
    expect(detail.audit.map((a) => a.action)).toContain("token.rejected");
    const page = await (await fetch(`${baseUrl}/agents`, { headers: { cookie } })).text();
    expect(page).toContain("last round failed");

    const deadline = Date.now() + 30_000;
    let notes = await receivedNotifications(notifyUrl);
    while (!notes.some((n) => n.title.includes("openclaw")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      notes = await receivedNotifications(notifyUrl);
    }
    expect(notes.filter((n) => n.title.includes("Agent openclaw needs attention"))).toHaveLength(1);
    expect(notes.find((n) => n.title.includes("openclaw"))!.message).toMatch(/last round failed.*revoked/i);
  });

  it("shows the failed agent in the browser: the Agents page's warning, the agent's rounds, the overview (desktop and phone)", async () => {
    for (const [label, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
      const { browser, page } = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword }, { viewport });
      try {
        await page.goto(`${baseUrl}/agents`);
        const warning = page.locator('tr[data-agent="openclaw"] [data-agent-warning="failing"]');
        await warning.waitFor();
        expect(await warning.textContent()).toMatch(/last round failed .* revoked/i);
        await screenshot(page, `openclaw-agents-${label}`);
        await page.goto(`${baseUrl}/agents/${agentId}`);
        await page.getByText("Last claim").waitFor();
        await screenshot(page, `openclaw-agent-${label}`);
        await page.goto(baseUrl);
        await page.locator('[data-agent-attention="openclaw"]').waitFor();
        await screenshot(page, `openclaw-overview-${label}`);
      } finally {
        await browser.close();
      }
    }
  });
});
