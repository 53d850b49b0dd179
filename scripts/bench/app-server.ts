import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { nextStartArgs } from "../lib/build";

// The built app under `next start` on a free port, against the benchmark's database, and a
// signed-in session on it (the same form post the sign-in page makes).

export type AppServer = {
  baseUrl: string;
  pid: number;
  /** Resolves once /api/health answers 200; rejects when the app exits, is stopped, or takes over 60 s. */
  ready(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
};

/** Spawns the server and returns at once, so the caller can arrange to stop it before waiting. */
export function startAppServer(options: { port: number; databaseUrl: string; dataDir: string; logLevel: string; env?: Record<string, string> }): AppServer {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const output: string[] = [];
  const server = spawn(process.execPath, nextStartArgs(options.port, "127.0.0.1"), {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      APP_URL: baseUrl,
      NEXTAUTH_URL: baseUrl,
      LOG_LEVEL: options.logLevel,
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Drained (so the server never blocks on a full pipe) and kept in case it fails to start.
  const collect = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  server.stdout.on("data", collect);
  server.stderr.on("data", collect);

  const running = () => server.exitCode === null && server.signalCode === null;
  // Last resort: never outlive this process, however it ends.
  const killOnExit = () => void (running() && server.kill("SIGKILL"));
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));

  const stop = async () => {
    process.off("exit", killOnExit);
    if (!running()) return;
    server.kill("SIGTERM");
    const killer = setTimeout(() => server.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  };

  const ready = async (signal: AbortSignal) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!running()) throw new Error(`The app exited (${server.exitCode ?? server.signalCode}):\n${output.join("")}`);
      if (signal.aborted) throw new Error("Interrupted while the app was starting");
      try {
        if ((await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`The app did not become healthy in 60 s:\n${output.join("")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  return { baseUrl, pid: server.pid!, ready, stop };
}

function cookiesOf(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
  }
  return jar;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** Signs in through next-auth's credentials callback and returns the Cookie header of the session. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);

  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  for (const [name, value] of cookiesOf(res)) jar.set(name, value);
  const session = [...jar.keys()].find((name) => name.endsWith("next-auth.session-token"));
  if (!session) throw new Error(`Sign-in did not set a session cookie (status ${res.status}: ${await res.text()})`);
  return `${session}=${jar.get(session)}`;
}
