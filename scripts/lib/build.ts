import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// `next build` only when the sources changed since the last build: a fingerprint of every source
// file's path, size and mtime is stored beside the build.

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SOURCE_DIRS = ["app", "components", "lib", "pipelines", "job-kinds", "inngest", "public", "types", "generated"];
const SOURCE_FILES = ["next.config.ts", "package-lock.json", "package.json", "postcss.config.mjs", "proxy.ts", "instrumentation.ts", "instrumentation-client.ts", "tsconfig.json"];
const STAMP = path.join(ROOT, ".next", "pa-build-stamp");

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
}

export function sourceFingerprint(): string {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir), files);
  for (const file of SOURCE_FILES) if (existsSync(path.join(ROOT, file))) files.push(path.join(ROOT, file));
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    const stat = statSync(file);
    hash.update(`${path.relative(ROOT, file)}:${stat.size}:${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

export function buildIsCurrent(): boolean {
  return (
    existsSync(path.join(ROOT, ".next", "BUILD_ID")) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8").trim() === sourceFingerprint()
  );
}

/** Records the sources a finished build was made from (buildIfNeeded and start's progress build). */
export function markBuilt(fingerprint: string): void {
  writeFileSync(STAMP, fingerprint + "\n");
}

export function buildIfNeeded(log: (line: string) => void = console.log): void {
  if (buildIsCurrent()) return;
  log("Building the app (first start or sources changed) …");
  const fingerprint = sourceFingerprint();
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  markBuilt(fingerprint);
}

export function nextBin(): string {
  return require.resolve("next/dist/bin/next");
}

/**
 * `next start`'s arguments. Idle keep-alive connections stay open 65 s, not Node's 5 s: a client
 * that reuses one just as the server closes it gets a reset, and fetch does not retry a POST or
 * PATCH (seen in the e2e suite on a busy machine, where the client's own 4 s close came late).
 * Clients and proxies close theirs first (undici at the server's hint minus 1 s, most proxies at 60 s).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function nextStartArgs(port: number, host?: string): string[] {
  return [nextBin(), "start", "-p", String(port), ...(host ? ["-H", host] : []), "--keepAliveTimeout", String(KEEP_ALIVE_TIMEOUT_MS)];
}
