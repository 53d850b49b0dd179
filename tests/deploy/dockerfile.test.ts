import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The Dockerfile read the way `docker build` reads it: there is no Docker engine to build it in
// these tests (CI's docker job does), so they check what a broken image would show: a missing
// source path, a root user, no health check, a server that is not the standalone one.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

type Instruction = { keyword: string; args: string };
type Stage = { name: string; base: string; instructions: Instruction[] };

/** Instructions per stage; comments dropped, backslash continuations joined. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === "FROM") {
      const [, base = "", name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ name: name ?? String(stages.length), base, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${instruction.keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** A stage's instructions including those of the stages it is built FROM, oldest first. */
function lineage(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((s) => s.name === stage.base);
  return [...(parent ? lineage(stages, parent) : []), ...stage.instructions];
}

type Copy = { from?: string; sources: string[]; destination: string };

function parseCopy(args: string): Copy {
  const parts = args.startsWith("[") ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags = parts.filter((p) => p.startsWith("--"));
  const paths = parts.filter((p) => !p.startsWith("--"));
  const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" };
}

/** Docker's .dockerignore: patterns anchored at the context root, `*`, `?`, `**`, `!` re-includes, last match wins. */
function isIgnored(file: string, patterns: string[]): boolean {
  const normalized = path.posix.normalize(file).replace(/^\.\//, "").replace(/\/$/, "");
  if (normalized === "" || normalized === ".") return false;
  const segments = normalized.split("/");
  // A file is excluded when it or one of its folders matches.
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith("!");
    const pattern = path.posix.normalize((negate ? raw.slice(1) : raw).trim()).replace(/^\/|\/$/g, "");
    const regex = new RegExp(
      "^" +
        pattern
          .split("**")
          .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"))
          .join(".*") +
        "$",
    );
    if (candidates.some((candidate) => regex.test(candidate))) ignored = !negate;
  }
  return ignored;
}

const dockerignore = read(".dockerignore")
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

describe("Dockerfile", () => {
  const stages = parseDockerfile(read("Dockerfile"));
  const final = stages.at(-1) as Stage;
  const finalInstructions = lineage(stages, final);
  const last = (keyword: string) => finalInstructions.filter((i) => i.keyword === keyword).at(-1);

  it("builds in stages on node:24-bookworm-slim and ships only the last one", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const roots = stages.filter((stage) => !stages.some((s) => s.name === stage.base));
    expect(roots.map((stage) => stage.base)).toEqual(["node:24-bookworm-slim"]);
    // The shipped stage copies its files from the build stages instead of building itself.
    expect(final.instructions.some((i) => i.keyword === "RUN" && /npm (install|ci|run build)/.test(i.args))).toBe(false);
    expect(final.instructions.some((i) => i.keyword === "COPY" && parseCopy(i.args).from)).toBe(true);
  });

  it("installs from the committed lockfile and generates the Prisma client before building", () => {
    const all = stages.flatMap((stage) => stage.instructions);
    const copiesLockfile = all.some((i) => i.keyword === "COPY" && parseCopy(i.args).sources.includes("package-lock.json"));
    expect(copiesLockfile).toBe(true);
    const runs = all.filter((i) => i.keyword === "RUN").map((i) => i.args);
    const install = runs.findIndex((r) => /\bnpm install\b/.test(r));
    const generate = runs.findIndex((r) => /prisma generate/.test(r));
    const build = runs.findIndex((r) => /npm run build/.test(r));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(generate).toBeGreaterThan(install);
    expect(build).toBeGreaterThan(generate);
    expect(runs[generate]).toMatch(/DATABASE_URL=\S+/);
  });

  it("runs as an unprivileged user", () => {
    const user = last("USER")?.args;
    expect(user, "the image runs as root").toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("serves Next's standalone output", () => {
    expect(read("next.config.ts")).toMatch(/process\.env\.NEXT_OUTPUT\s*===\s*"standalone"\s*\?\s*"standalone"/);
    const buildRun = stages.flatMap((s) => s.instructions).find((i) => i.keyword === "RUN" && /npm run build/.test(i.args));
    expect(buildRun?.args).toMatch(/NEXT_OUTPUT=standalone/);
    const copies = final.instructions.filter((i) => i.keyword === "COPY").map((i) => parseCopy(i.args));
    expect(copies.some((c) => c.sources.some((s) => s.endsWith(".next/standalone")))).toBe(true);
    expect(copies.some((c) => c.sources.some((s) => s.endsWith(".next/static")))).toBe(true);
    expect(last("CMD")?.args).toMatch(/server\.js/);
    // The standalone server listens on HOSTNAME, which Docker sets to the container id otherwise.
    expect(finalInstructions.some((i) => i.keyword === "ENV" && /HOSTNAME=0\.0\.0\.0/.test(i.args))).toBe(true);
  });

  it("checks its health on /api/health", () => {
    const healthcheck = last("HEALTHCHECK")?.args;
    expect(healthcheck).toBeDefined();
    expect(healthcheck).toMatch(/\/api\/health/);
    expect(existsSync(path.join(ROOT, "app", "api", "health", "route.ts"))).toBe(true);
  });

  it("applies migrations before the server starts, then hands it the process", () => {
    const entrypoint = last("ENTRYPOINT")?.args ?? "";
    expect(entrypoint.startsWith("["), "a shell-form ENTRYPOINT would swallow CMD and signals").toBe(true);
    const program = (JSON.parse(entrypoint) as string[])[0] ?? "";
    // An absolute path, or a name looked up on PATH (/usr/local/bin in the node image).
    const copy = final.instructions
      .filter((i) => i.keyword === "COPY")
      .map((i) => parseCopy(i.args))
      .find((c) => c.destination === program || c.destination === `/usr/local/bin/${program}`);
    expect(copy, `nothing is copied to the ENTRYPOINT ${program}`).toBeDefined();
    const script = read(copy?.sources[0] ?? "");
    expect(script.startsWith("#!/bin/sh")).toBe(true);
    expect(script).toMatch(/prisma\/build\/index\.js migrate deploy/);
    expect(script).toMatch(/set -e/);
    expect(script.trim().split("\n").at(-1)).toBe('exec "$@"');
    const copied = final.instructions.filter((i) => i.keyword === "COPY").flatMap((i) => parseCopy(i.args).sources);
    expect(copied.some((s) => s.endsWith("/prisma"))).toBe(true);
    expect(copied.some((s) => s.endsWith("prisma.config.ts"))).toBe(true);
  });

  it("copies only paths that exist in the repository and are not excluded from the build context", () => {
    const contextSources = stages
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
      .map((i) => parseCopy(i.args))
      .filter((copy) => !copy.from)
      .flatMap((copy) => copy.sources);
    expect(contextSources.length).toBeGreaterThan(0);
    for (const source of contextSources) {
      expect(existsSync(path.join(ROOT, source)), `${source} does not exist`).toBe(true);
      expect(isIgnored(source, dockerignore), `${source} is excluded by .dockerignore`).toBe(false);
    }
  });

  it("copies between stages only what an earlier stage has or produces", () => {
    // Paths a build step creates, and the RUN that creates them.
    const produced: [RegExp, RegExp][] = [
      [/^\/app\/node_modules$/, /\bnpm install\b/],
      [/^\/app\/generated$/, /prisma generate/],
      [/^\/app\/\.next\//, /npm run build/],
      [/^\/runtime\//, /scripts\/docker\/build-runtime\.ts \/runtime\b/],
    ];
    for (const [index, stage] of stages.entries()) {
      for (const copy of stage.instructions.filter((i) => i.keyword === "COPY").map((i) => parseCopy(i.args))) {
        if (!copy.from) continue;
        const source = stages.slice(0, index).find((s) => s.name === copy.from);
        expect(source, `--from=${copy.from} is not an earlier stage`).toBeDefined();
        const runs = lineage(stages, source as Stage).filter((i) => i.keyword === "RUN");
        for (const file of copy.sources) {
          const producer = produced.find(([pattern]) => pattern.test(file));
          if (producer) {
            expect(runs.some((r) => producer[1].test(r.args)), `nothing in ${copy.from} produces ${file}`).toBe(true);
          } else {
            // Otherwise it came from the build context under WORKDIR /app.
            expect(file.startsWith("/app/"), `${file} is neither built nor from the context`).toBe(true);
            const relative = file.slice("/app/".length);
            expect(existsSync(path.join(ROOT, relative)), `${file} is not in the repository`).toBe(true);
            expect(isIgnored(relative, dockerignore), `${relative} is excluded by .dockerignore`).toBe(false);
          }
        }
      }
    }
  });

  it("has the inputs its build steps read in the build context", () => {
    for (const file of ["scripts/docker/build-runtime.ts", "cli/main.ts", "next.config.ts", "tsconfig.json", "app", "lib"]) {
      expect(existsSync(path.join(ROOT, file)), `${file} does not exist`).toBe(true);
      expect(isIgnored(file, dockerignore), `${file} is excluded by .dockerignore`).toBe(false);
    }
  });

  it("keeps secrets and local artefacts out of the build context", () => {
    for (const file of [".env", ".env.local", "node_modules", ".next", ".data", ".git", "generated"]) {
      expect(isIgnored(file, dockerignore), `${file} would be sent to the build`).toBe(true);
    }
  });
});
