import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { PRECOMPRESS_MIN_BYTES } from "../apps/web/scripts/precompress-plugin.ts";
import { chunks, kb, SHELL_BUDGET_BYTES, WEB_DIST } from "./src/bundle.ts";

interface Raw {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body is read as sent over the wire (fetch would decompress it). */
function rawGet(base: string, p: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { "accept-encoding": acceptEncoding } : undefined;
    const req = request(new URL(p, base), { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe("the web shell's bytes on the wire", () => {
  it("serves every start chunk precompressed as negotiated, byte for byte the built file once decompressed", async () => {
    const initial = chunks().filter((c) => c.initial);
    expect(initial.length).toBeGreaterThan(0);
    let sent = 0;
    for (const c of initial) {
      const onDisk = readFileSync(path.join(WEB_DIST, c.file));
      const br = await rawGet(server.url, `/${c.file}`, "gzip, deflate, br");
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      if (onDisk.length < PRECOMPRESS_MIN_BYTES) {
        // Too small to gain: sent as it is.
        expect(br.headers["content-encoding"], c.file).toBeUndefined();
        sent += br.body.length;
        continue;
      }
      expect(br.headers["content-encoding"], c.file).toBe("br");
      expect(br.headers["content-type"]).toMatch(/javascript/);
      expect(brotliDecompressSync(br.body).equals(onDisk), c.file).toBe(true);
      sent += br.body.length;
      const gz = await rawGet(server.url, `/${c.file}`, "gzip");
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gz.body).equals(onDisk)).toBe(true);
      const plain = await rawGet(server.url, `/${c.file}`);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.body.equals(onDisk)).toBe(true);
    }
    // The budget, checked on what a browser actually receives.
    expect(sent, `bytes sent for the start chunks: ${kb(sent)}`).toBeLessThan(SHELL_BUDGET_BYTES);
    console.info(`start chunks: ${kb(sent)} sent with brotli, ${kb(initial.reduce((s, c) => s + c.bytes, 0))} raw`);
  });

  it("compresses the stylesheet too", async () => {
    const html = readFileSync(path.join(WEB_DIST, "index.html"), "utf8");
    const css = /href="\/(assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    const r = await rawGet(server.url, `/${css!}`, "br");
    expect(r.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(r.body).equals(readFileSync(path.join(WEB_DIST, css!)))).toBe(true);
  });
});
