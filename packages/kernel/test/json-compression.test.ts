import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { COMPRESS_THRESHOLD, pickEncoding } from "../src/http/compress-json.ts";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body is read as sent (fetch would decompress it behind our back). */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("API answers compressed above a threshold", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("sends a large JSON answer as brotli or gzip as negotiated, the same bytes once decompressed, with Vary", async () => {
    // The OpenAPI document: a large JSON answer anyone may read.
    const plain = await rawGet(s.url, "/api/docs/json", {});
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(COMPRESS_THRESHOLD * 10);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);

    const br = await rawGet(s.url, "/api/docs/json", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);

    const gz = await rawGet(s.url, "/api/docs/json", { "accept-encoding": "gzip;q=1, br;q=0" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    console.info(`OpenAPI document: ${plain.body.length} B, brotli ${br.body.length} B, gzip ${gz.body.length} B`);

    const none = await rawGet(s.url, "/api/docs/json", { "accept-encoding": "identity" });
    expect(none.headers["content-encoding"]).toBeUndefined();
    expect(none.body.equals(plain.body)).toBe(true);
  });

  it("leaves small answers and problem+json below the threshold as they are", async () => {
    const small = await rawGet(s.url, "/api/settings/public", { "accept-encoding": "br, gzip" });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(COMPRESS_THRESHOLD);
    expect(small.headers["content-encoding"]).toBeUndefined();
    const problem = await rawGet(s.url, "/api/me", { "accept-encoding": "br, gzip" });
    expect(problem.status).toBe(401);
    expect(problem.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(problem.body.toString("utf8"))).toMatchObject({ status: 401 });
  });

  it("negotiates Accept-Encoding with q-values and the wildcard", () => {
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding("")).toBeNull();
    expect(pickEncoding("identity")).toBeNull();
    expect(pickEncoding("gzip, br")).toBe("br");
    expect(pickEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0")).toBeNull();
    expect(pickEncoding("*")).toBe("br");
    expect(pickEncoding("*;q=0, gzip")).toBe("gzip");
    expect(pickEncoding("GZIP")).toBe("gzip");
  });
});
