import { existsSync } from "node:fs";
import { buildWeb, webBuildIsStale } from "../../apps/web/scripts/build-if-stale.ts";
import { CHROMIUM } from "./browser.ts";

/** The browser suites need Chromium and the built shell: a missing one is a failure, not a skip. */
export default function setup(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser suites need Debian's Chromium at ${CHROMIUM} (apt-get install chromium)`);
  if (!webBuildIsStale()) return;
  // Vitest sets NODE_ENV=test, which the child `vite build` would inherit and turn into a development build.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    buildWeb();
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
