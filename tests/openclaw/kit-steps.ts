import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

// Reads the OpenClaw kit's README the way a user does: the shell blocks of "Step by step", in
// order, and the crontab line, so the test runs exactly what the README says.

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const KIT_README = path.join(ROOT, "openclaw", "README.md");

export type KitSteps = { bash: string[]; cron: string };

export function readKitSteps(): KitSteps {
  const text = readFileSync(KIT_README, "utf8");
  const start = text.indexOf("## Step by step");
  const end = text.indexOf("\n## ", start + 1);
  if (start < 0 || end < 0) throw new Error("openclaw/README.md has no '## Step by step' section");
  const section = text.slice(start, end);
  const blocks = [...section.matchAll(/```(bash|cron)\n([\s\S]*?)```/g)];
  const bash = blocks.filter((b) => b[1] === "bash").map((b) => b[2]!.trim());
  const cron = blocks.find((b) => b[1] === "cron")?.[2]?.trim();
  if (!cron) throw new Error("openclaw/README.md has no crontab line");
  return { bash, cron };
}

/** Fills in the README's placeholders; each must be present, or the README changed under the test. */
export function fill(command: string, values: Record<string, string>): string {
  let out = command;
  for (const [placeholder, value] of Object.entries(values)) {
    if (!out.includes(placeholder)) throw new Error(`The step no longer contains ${placeholder}:\n${command}`);
    out = out.replaceAll(placeholder, value);
  }
  return out;
}

/** An environment for a child process (cron's is tiny: no NODE_ENV). */
export type Env = Partial<NodeJS.ProcessEnv>;

export type Ran = { code: number; stdout: string; stderr: string; ms: number };

/** Runs a shell snippet with bash -e in the repository root, capturing its output. */
export function sh(script: string, env: Env, timeoutMs = 300_000): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-eo", "pipefail", "-c", script], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function mustSucceed(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}\n--- stdout\n${ran.stdout.slice(-4000)}\n--- stderr\n${ran.stderr.slice(-4000)}`);
  return ran;
}

/** The first JSON object in a command's output (OpenClaw may print warnings around it). */
export function jsonIn<T>(text: string): T {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    for (let end = text.lastIndexOf("}"); end > start; end = text.lastIndexOf("}", end - 1)) {
      try {
        return JSON.parse(text.slice(start, end + 1)) as T;
      } catch {
        // a shorter candidate may parse
      }
    }
  }
  throw new Error(`No JSON in:\n${text.slice(0, 2000)}`);
}

/** `openclaw gateway run` in the foreground, until it says it is ready. */
export async function startGateway(env: Env, log: string[]): Promise<ChildProcess> {
  const gateway = spawn("openclaw", ["gateway", "run"], { cwd: env.HOME, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The gateway did not become ready in 180 s:\n${log.join("").slice(-4000)}`)), 180_000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (/\[gateway\]\S*\s+\S*ready/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    gateway.stdout!.on("data", onData);
    gateway.stderr!.on("data", onData);
    gateway.on("exit", (code) => reject(new Error(`The gateway exited (${code}):\n${log.join("").slice(-4000)}`)));
  });
  await ready;
  return gateway;
}
