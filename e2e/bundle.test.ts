import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { chunks, kb, SHELL_BUDGET_BYTES, WEB_DIST } from "./src/bundle.ts";
import { SERVICES } from "./src/shell.ts";

describe("web shell build", () => {
  it(`ships less than ${kb(SHELL_BUDGET_BYTES)} of gzipped JavaScript before any service is opened`, () => {
    const list = chunks();
    const initial = list.filter((c) => c.initial);
    const total = initial.reduce((s, c) => s + c.gzip, 0);
    expect(initial.length).toBeGreaterThan(0);
    expect(total, `initial chunks: ${initial.map((c) => `${c.file} ${kb(c.gzip)}`).join(", ")}`).toBeLessThan(
      SHELL_BUDGET_BYTES,
    );
  });

  it("puts each service, the settings and the administration in chunks of their own, loaded on demand", () => {
    const list = chunks();
    // A service's entry is `web/<name>.tsx`, so its chunk is named after it.
    for (const name of [...SERVICES, "SettingsPage", "AdminPage"]) {
      const c = list.find((x) => new RegExp(`^assets/${name}-[\\w-]+\\.js$`).test(x.file));
      expect(c, `${name} chunk`).toBeDefined();
      expect(c!.initial, `${name} must not load at start`).toBe(false);
    }
  });

  it("has no inline script in index.html (the CSP forbids it) and registers the service worker from a file", () => {
    const html = readFileSync(path.join(WEB_DIST, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\//);
      expect(body!.trim()).toBe("");
    }
    expect(html).toContain('src="/registerSW.js"');
    expect(html).toContain('rel="manifest" href="/manifest.webmanifest"');
    // No other origin anywhere in the page.
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });
});
