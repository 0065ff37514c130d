import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { WEB_DIST } from "./src/bundle.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const html = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("the server serves the built web shell", () => {
  it("answers any client-side route with index.html under the strict CSP", async () => {
    const index = readFileSync(path.join(WEB_DIST, "index.html"), "utf8");
    for (const p of ["/", "/settings/sessions", "/people/0190e1c2-0000-7000-8000-000000000000", "/invite"]) {
      const r = await fetch(server.url + p, { headers: html });
      expect(r.status, p).toBe(200);
      expect(r.headers.get("content-type")).toContain("text/html");
      expect(r.headers.get("cache-control")).toBe("no-cache");
      const csp = r.headers.get("content-security-policy") ?? "";
      const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      expect(scriptSrc.trim()).toBe("script-src 'self'");
      expect(await r.text()).toBe(index);
    }
  });

  it("never answers the API, the gateway or a non-HTML request with the app", async () => {
    for (const p of ["/api/nope", "/api", "/ws/x", "/healthz/x"]) {
      const r = await fetch(server.url + p, { headers: html });
      expect(r.status, p).toBe(404);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
    const json = await fetch(`${server.url}/settings`, { headers: { accept: "application/json" } });
    expect(json.status).toBe(404);
    const post = await fetch(`${server.url}/settings`, { method: "POST", headers: html });
    expect(post.status).toBe(404);
  });

  it("caches hashed assets for a year and revalidates the rest", async () => {
    const index = readFileSync(path.join(WEB_DIST, "index.html"), "utf8");
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)![1]!;
    const a = await fetch(server.url + asset);
    expect(a.status).toBe(200);
    expect(a.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(a.headers.get("content-type")).toContain("javascript");
    for (const p of ["/sw.js", "/registerSW.js", "/icons/icon-192.png"]) {
      const r = await fetch(server.url + p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get("cache-control"), p).toBe("no-cache");
    }
    const head = await fetch(server.url + asset, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});
