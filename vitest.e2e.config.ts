import path from "node:path";
import { defineConfig } from "vitest/config";

// Browser and HTTP tests against a production build served by `next start` (see tests/e2e/setup).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/setup/server.ts"],
    env: { NODE_ENV: "test" },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
  },
});
