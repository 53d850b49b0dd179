import path from "node:path";
import { defineConfig } from "vitest/config";

// The real OpenClaw against a production build of the app (see tests/openclaw): Node 24 and
// OpenClaw are installed from npm into .cache/ on the first run, then the e2e server setup starts
// the app, its database and the fakes.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/openclaw/**/*.test.ts"],
    globalSetup: ["tests/openclaw/setup/install.ts", "tests/e2e/setup/server.ts"],
    env: { NODE_ENV: "test" },
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 900_000,
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
  },
});
