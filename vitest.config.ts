import { defineConfig } from "vitest/config";
import { ensembleModules } from "./apps/web/scripts/modules-plugin.ts";

/**
 * Server suites run in parallel forks (each test server gets its own data
 * directory or PostgreSQL schema). ENSEMBLE_TEST_DB=postgres switches every
 * suite to the PostgreSQL at ENSEMBLE_TEST_DATABASE_URL. The module-list
 * plugin lets the web shell's tests import its real manifests.
 */
export default defineConfig({
  plugins: [ensembleModules()],
  test: {
    include: ["{apps,packages,modules}/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**", "e2e/**"],
    pool: "forks",
    // Some suites spawn the CLI or `serve` as a child process: on a loaded two-core machine one start
    // took 20–40 s, so a 30 s limit failed tests that were only slow.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    globalSetup: ["packages/testkit/src/global-setup.ts"],
    reporters: ["default"],
  },
});
