import { defineConfig } from "vitest/config";

/**
 * Browser suites: Debian's Chromium driven by playwright-core against a real
 * test server that serves the production build of the web shell (built once,
 * in the global setup, when its sources changed). One file at a time: each
 * starts its own server and browser, and the machine has few cores.
 */
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    globalSetup: ["../packages/testkit/src/global-setup.ts", "./src/global-setup.ts"],
    reporters: ["default"],
  },
});
