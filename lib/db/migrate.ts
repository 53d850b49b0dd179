import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { childProcessEnv } from "@/lib/config";

// Applies pending migrations with `prisma migrate deploy` (the JS schema engine, see prisma.config.ts).

const require = createRequire(import.meta.url);

export async function migrateDeploy(databaseUrl: string, options: { quiet?: boolean } = {}): Promise<void> {
  const cli = require.resolve("prisma/build/index.js");
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      env: childProcessEnv({ DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (!options.quiet) process.stdout.write(text);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output.join("")}`)),
    );
  });
}
