import { defineConfig } from "vitest/config";

/**
 * Server suites run in parallel forks (each test server gets its own data
 * directory or PostgreSQL schema). ENSEMBLE_TEST_DB=postgres switches every
 * suite to the PostgreSQL at ENSEMBLE_TEST_DATABASE_URL.
 */
export default defineConfig({
  test: {
    include: ["{apps,packages,modules}/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**", "e2e/**"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["packages/testkit/src/global-setup.ts"],
    reporters: ["default"],
  },
});
