import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium, never a downloaded browser; quiet flags so that no request leaves the machine. */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * For meetings: Chromium's synthetic camera and microphone, granted without a
 * prompt, whose sound may start without a click (each test page joins by
 * script after a single click on « Rejoindre »).
 */
export const FAKE_MEDIA_ARGS = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

/**
 * A fresh browser context (its own cookies) in the given language and time
 * zone (Paris unless said). Every request to another origin fails the test:
 * the shell must be self-contained.
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  locale = "fr-FR",
  timezoneId = "Europe/Paris",
): Promise<{ context: BrowserContext; page: Page; foreign: string[] }> {
  const context = await browser.newContext({
    baseURL,
    locale,
    viewport: { width: 1280, height: 800 },
    timezoneId,
  });
  const foreign: string[] = [];
  const origin = new URL(baseURL).origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  return { context, page, foreign };
}

/**
 * A Chromium and a test server for the whole file, started before its tests
 * and closed after them; read `env.browser` / `env.server` inside the tests.
 */
export function browserAndServer(): { browser: Browser; server: TestServer } {
  const env = {} as { browser: Browser; server: TestServer };
  beforeAll(async () => {
    env.browser = await launchChromium();
    env.server = await startTestServer();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
