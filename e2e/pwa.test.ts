import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import sharp from "sharp";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { CHROMIUM, CHROMIUM_ARGS, launchChromium, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose: string }[];
  protocol_handlers: { protocol: string; url: string }[];
}

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe("installable desktop app (PWA)", () => {
  it("serves a manifest generated from the branding, with real icons and the web+ensemble: protocol", async () => {
    const admin = await server.signedIn({ role: "admin" });
    expect(
      (await admin.client.patch("/api/admin/settings", { brandName: "Métropole de Lyon", brandColor: "#6a1b9a" }))
        .status,
    ).toBe(200);
    // The organisation's logo becomes the installed app's icon.
    const logo = await sharp({ create: { width: 300, height: 200, channels: 4, background: "#6a1b9a" } })
      .png()
      .toBuffer();
    const up = await admin.client.request("PUT", "/api/admin/branding/logo", undefined, {
      raw: new Uint8Array(logo),
      headers: { "content-type": "image/png" },
    });
    expect(up.status).toBe(200);
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/manifest+json");
    const m = (await res.json()) as Manifest;
    expect(m.name).toBe("Métropole de Lyon");
    expect(m.theme_color).toBe("#6a1b9a");
    expect(m.start_url).toBe("/");
    expect(m.display).toBe("standalone");
    expect(m.protocol_handlers).toEqual([{ protocol: "web+ensemble", url: "/open?target=%s" }]);
    for (const icon of m.icons) {
      const r = await fetch(new URL(icon.src, server.url));
      expect(r.status, icon.src).toBe(200);
      const [w, h] = pngSize(Buffer.from(await r.arrayBuffer()));
      expect(`${w}x${h}`).toBe(icon.sizes);
    }
    expect(m.icons.some((i) => i.sizes === "512x512" && i.purpose === "maskable")).toBe(true);
    expect(m.icons.filter((i) => i.purpose === "any").every((i) => i.src.startsWith("/api/branding/logo?"))).toBe(true);
  });

  it("passes Chromium's installability check, caches the shell in a service worker and shows the offline banner", async () => {
    const user = await server.createUser({ displayName: "Denis Moreau" });
    const { context, page, foreign } = await newContext(browser, server.url);
    await page.goto("/sign-in");
    const sw = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? "");
    expect(sw).toBe(`${server.url}/sw.js`);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: { errorId: string }[];
    };
    // A test context is incognito, which alone blocks installing; the app itself must raise nothing else.
    expect(installabilityErrors.filter((e) => e.errorId !== "in-incognito")).toEqual([]);

    // Time to interactive of the signed-in home page on loopback (service worker warm).
    await signIn(page, "fr", user.username);
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: tr("fr", "home.greeting", { name: "Denis Moreau" }) }).waitFor();
    const tti = await page.evaluate(() => Math.round(performance.now()));
    console.log(`time to interactive, signed-in home: ${tti} ms`);
    expect(tti).toBeLessThan(5_000);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // Offline: the shell still opens from the cache and says that the network is gone.
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId("offline-banner").waitFor();
    expect(await page.getByTestId("offline-banner").textContent()).toBe(tr("fr", "app.offline"));
    // Back online: the banner goes away by itself and the page comes back on retry.
    await context.setOffline(false);
    await page.getByTestId("offline-banner").waitFor({ state: "detached" });
    await page.getByRole("button", { name: tr("fr", "app.retry") }).click();
    await page.getByRole("heading", { level: 1, name: tr("fr", "home.greeting", { name: "Denis Moreau" }) }).waitFor();
    expect(foreign).toEqual([]);
    await context.close();
  });

  it("opens web+ensemble: links in place", async () => {
    const user = await server.createUser({ displayName: "Emma Roux" });
    const { context, page } = await newContext(browser, server.url);
    await signIn(page, "fr", user.username);
    await page.goto(`/open?target=${encodeURIComponent("web+ensemble:/settings/profile")}`);
    await page.getByRole("heading", { level: 1, name: tr("fr", "settings.title") }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/settings/profile");
    // Anything that is not a same-origin path goes home.
    await page.goto(`/open?target=${encodeURIComponent("web+ensemble://evil.example/x")}`);
    await expect.poll(() => new URL(page.url()).origin).toBe(server.url);
    await context.close();
  });

  it("runs in Chromium's --app mode from the manifest's start URL", async () => {
    const admin = await server.signedIn({ role: "admin" });
    expect((await admin.client.patch("/api/admin/settings", { brandName: "Métropole de Lyon" })).status).toBe(200);
    const m = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as Manifest;
    const profile = await mkdtemp(path.join(tmpdir(), "ensemble-app-"));
    const startUrl = new URL(m.start_url, server.url).href;
    const app = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      // A first visit follows the browser's language: this one speaks French, like the test's texts.
      locale: "fr-FR",
      args: [...CHROMIUM_ARGS, `--app=${startUrl}`],
    });
    try {
      await expect.poll(() => app.pages().some((p) => p.url().startsWith(server.url)), { timeout: 20_000 }).toBe(true);
      const page = app.pages().find((p) => p.url().startsWith(server.url))!;
      // Not signed in: the start URL leads to the sign-in page of the branded app.
      await page.getByRole("heading", { name: tr("fr", "auth.signInTitle") }).waitFor();
      await expect.poll(() => page.title()).toBe(`${tr("fr", "auth.signInTitle")} — Métropole de Lyon`);
      // In a real profile (not incognito) Chromium finds nothing that prevents installing the app.
      await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
      const cdp = await app.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
        installabilityErrors: { errorId: string }[];
      };
      expect(installabilityErrors).toEqual([]);
    } finally {
      await app.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
