import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".data/**", "generated/**", ".cache/**", "tests/e2e/**", "tests/openclaw/**"],
    globalSetup: ["tests/setup/global-database.ts"],
    setupFiles: ["tests/setup/per-file-database.ts"],
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-secret-that-is-long-enough-0123456789",
      // A fixed test-only key (32 zero-free bytes); never used outside tests.
      ENCRYPTION_KEYS: "test:dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcyEhISE=",
    },
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
  },
});
