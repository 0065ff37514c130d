import { existsSync } from "node:fs";
import { buildWeb, webBuildIsStale } from "../../apps/web/scripts/build-if-stale.ts";
import { CHROMIUM } from "./browser.ts";

/** The browser suites need Chromium and the built shell: a missing one is a failure, not a skip. */
export default function setup(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser suites need Debian's Chromium at ${CHROMIUM} (apt-get install chromium)`);
  if (webBuildIsStale()) buildWeb();
}
