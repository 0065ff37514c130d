import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@ensemble/kernel";
import { SafeFetcher, SafeFetchError, safeFetcherFromConfig, type SafeFetchErrorCode } from "../src/net/safe-fetch.ts";
import { OutboundAllowList, isForbiddenAddress, outboundRange } from "../src/net/ip-ranges.ts";
import { startTestDns, type TestDnsServer } from "@ensemble/testkit/dns-server";

const SECRET = "internal-secret-page";
let server: http.Server;
let port = 0;
let dns: TestDnsServer;
let slowSockets = 0;

/** Names whose only address is IPv6: each a form that reaches a non-public IPv4 or IPv6 host. */
const V6_ONLY = new Map([
  ["mapped.test", "::ffff:127.0.0.1"],
  ["translated.test", "::ffff:0:7f00:1"],
  ["nat64.test", "64:ff9b::a9fe:a9fe"],
  ["sixtofour.test", "2002:7f00:1::1"],
  ["teredo.test", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
  ["ula.test", "fd00::1"],
  ["linklocal.test", "fe80::1"],
  ["multicast.test", "ff02::1"],
  ["loopback6.test", "::1"],
]);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/page") {
      res.setHeader("content-type", "text/html");
      res.end("<html><head><title>Hello</title></head></html>");
    } else if (url === "/secret") res.end(SECRET);
    else if (url === "/echo") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => res.end(JSON.stringify({ method: req.method, headers: req.headers, body })));
    } else if (url === "/to-forbidden") {
      res.writeHead(302, { location: `http://127.0.0.2:${port}/secret` });
      res.end();
    } else if (url === "/to-metadata") {
      res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
    } else if (url === "/to-page") {
      res.writeHead(302, { location: "/echo" });
      res.end();
    } else if (url.startsWith("/loop")) {
      res.writeHead(302, { location: `/loop${url.length}` });
      res.end();
    } else if (url === "/big") {
      res.setHeader("content-length", String(2_000_000));
      res.end(Buffer.alloc(2_000_000, 97));
    } else if (url === "/big-chunked") {
      for (let i = 0; i < 40; i++) res.write(Buffer.alloc(50_000, 98));
      res.end();
    } else if (url === "/slow") {
      slowSockets += 1;
      res.writeHead(200, { "content-type": "text/html" });
      res.write("<html>");
      // Never ends: the fetcher's deadline must cut it.
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  dns = await startTestDns(
    (name, n) => {
      if (name === "rebind.test") return n === 0 ? "93.184.215.14" : "127.0.0.1";
      if (name === "loopback-first.test") return "127.0.0.1";
      if (name === "intranet.test") return "127.0.0.1";
      if (name === "mixed.test") return n % 2 === 0 ? "93.184.215.14" : "10.0.0.1";
      if (V6_ONLY.has(name)) return "";
      return null;
    },
    (name) => V6_ONLY.get(name) ?? "",
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await dns.close();
});

async function refusal(p: Promise<unknown>): Promise<SafeFetchErrorCode> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SafeFetchError) return e.code;
    throw e;
  }
  throw new Error("the request was not refused");
}

describe("address classification", () => {
  // Each address with the range that decides it (ipaddr.js's names); only `unicast` may be reached.
  it.each([
    ["10.1.2.3", "private"],
    ["172.31.255.1", "private"],
    ["192.168.0.1", "private"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.7", "reserved"],
    ["198.18.0.1", "reserved"],
    ["192.0.0.170", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fe80::1%lo", "linkLocal"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["ff05::1:3", "multicast"],
    ["100::1", "discard"],
    ["2001:db8::1", "reserved"],
    // IPv4-mapped (::ffff:0:0/96), in both spellings: judged by the IPv4 they carry.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:a9fe:a9fe", "linkLocal"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:100.64.0.1", "carrierGradeNat"],
    ["::ffff:0:0", "unspecified"],
    // IPv4-translated (RFC 6145).
    ["::ffff:0:7f00:1", "loopback"],
    // NAT64 well-known prefix (RFC 6052).
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b::a9fe:a9fe", "linkLocal"],
    // NAT64 local-use prefix: where the IPv4 sits depends on the operator's prefix, so always refused.
    ["64:ff9b:1::808:808", "rfc6052"],
    // 6to4 (2002::/16) carries its IPv4 in bits 16–47.
    ["2002:7f00:1::", "loopback"],
    ["2002:c0a8:101::1", "private"],
    // Teredo (2001::/32): refused whatever it carries.
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    // IPv4-compatible (deprecated ::/96) and other space outside global unicast.
    ["::127.0.0.1", "notGlobalUnicast"],
    ["::808:808", "notGlobalUnicast"],
    ["4000::1", "notGlobalUnicast"],
    ["not-an-ip", "invalid"],
    ["127.1", "invalid"],
    ["0x7f.0.0.1", "invalid"],
  ])("refuses %s (%s)", (ip, range) => {
    expect(outboundRange(ip)).toBe(range);
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700::1111",
    "[2606:4700::1111]",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("allows the public address %s", (ip) => {
    expect(outboundRange(ip)).toBe("unicast");
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it("lets an allow-listed IPv4 range cover the IPv6 forms that carry it", () => {
    const allow = new OutboundAllowList(["10.1.2.0/24", "fd00::/8"]);
    for (const ip of ["10.1.2.3", "::ffff:10.1.2.3", "64:ff9b::a01:203", "fd00::5"])
      expect(allow.addressAllowed("h", 80, ip), ip).toBe(true);
    for (const ip of ["10.1.3.1", "::ffff:10.1.3.1", "fc00::1", "127.0.0.1"])
      expect(allow.addressAllowed("h", 80, ip), ip).toBe(false);
    expect(() => new OutboundAllowList(["10.0.0.0/33"])).toThrow();
    expect(() => new OutboundAllowList(["10.0.0.0/8/8"])).toThrow();
    expect(() => new OutboundAllowList(["127.1/8"])).toThrow();
    expect(new OutboundAllowList(["[0::1]:8443"]).hostPortAllowed("[::1]", 8443)).toBe(true);
  });
});

describe("SafeFetcher refuses", () => {
  const fetcher = new SafeFetcher();

  it.each([
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://127.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::7f00:1]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://127.1/",
    "https://10.0.0.1/",
  ])("the non-public target %s", async (url) => {
    expect(await refusal(fetcher.fetch(url, { timeoutMs: 2_000 }))).toBe("forbidden_target");
  });

  it("a host name that resolves to loopback", async () => {
    expect(await refusal(fetcher.fetch("http://localhost/"))).toBe("forbidden_target");
  });

  it("other schemes, odd ports and credentials in URLs", async () => {
    expect(await refusal(fetcher.fetch("file:///etc/passwd"))).toBe("forbidden_scheme");
    expect(await refusal(fetcher.fetch("gopher://example.org/"))).toBe("forbidden_scheme");
    expect(await refusal(fetcher.fetch("http://example.org:22/"))).toBe("forbidden_port");
    expect(await refusal(fetcher.fetch(`http://127.0.0.1:${port}/page`))).toBe("forbidden_port");
    expect(await refusal(fetcher.fetch("http://user:pw@example.org/"))).toBe("invalid_url");
  });
});

describe("SafeFetcher with an allow-list", () => {
  it("fetches an allow-listed local page, without cookies and with its user agent", async () => {
    const f = new SafeFetcher({ allow: [`127.0.0.1:${port}`], userAgent: "Ensemble-test" });
    const r = await f.fetch(`http://127.0.0.1:${port}/page`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain("<title>Hello</title>");
    const echo = await f.fetch(`http://127.0.0.1:${port}/echo`, {
      method: "POST",
      body: "a=1",
      headers: { Cookie: "sid=1", "X-Custom": "yes" },
    });
    const seen = JSON.parse(echo.body.toString()) as { method: string; headers: Record<string, string>; body: string };
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe("a=1");
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["user-agent"]).toBe("Ensemble-test");
    expect(seen.headers["x-custom"]).toBe("yes");
  });

  it("allows a CIDR once its port is allowed too", async () => {
    expect(await refusal(new SafeFetcher({ allow: ["127.0.0.0/8"] }).fetch(`http://127.0.0.1:${port}/page`))).toBe(
      "forbidden_port",
    );
    const f = new SafeFetcher({ allow: ["127.0.0.0/8", `:${port}`] });
    expect((await f.fetch(`http://127.0.0.1:${port}/page`)).status).toBe(200);
    expect(await refusal(f.fetch(`http://10.0.0.1:${port}/`))).toBe("forbidden_target");
  });

  it("rejects a malformed allow-list, at configuration time too", () => {
    expect(() => new SafeFetcher({ allow: ["not a cidr"] })).toThrow(/allow-list/);
    expect(() => new SafeFetcher({ allow: ["10.0.0.0/33"] })).toThrow(/allow-list/);
    expect(() => loadConfig({ OUTBOUND_ALLOW: "10.0.0.0/8, nonsense here" })).toThrow(ConfigError);
    expect(() => loadConfig({ OUTBOUND_DNS_SERVERS: "dns.example.org" })).toThrow(ConfigError);
    const c = loadConfig({
      OUTBOUND_ALLOW: "10.0.0.0/8, intranet.local:8080, :8443",
      OUTBOUND_DNS_SERVERS: "127.0.0.1:5353",
    });
    expect(safeFetcherFromConfig(c).allow.portAllowed("example.org", 8443)).toBe(true);
  });

  it("re-checks every redirect hop", async () => {
    // The port is allowed everywhere, so only the address decides.
    const f = new SafeFetcher({ allow: [`127.0.0.1:${port}`, `:${port}`] });
    expect(await refusal(f.fetch(`http://127.0.0.1:${port}/to-forbidden`))).toBe("forbidden_target");
    expect(await refusal(f.fetch(`http://127.0.0.1:${port}/to-metadata`))).toBe("forbidden_target");
    expect(await refusal(f.fetch(`http://127.0.0.1:${port}/loop`))).toBe("too_many_redirects");
    const followed = await f.fetch(`http://127.0.0.1:${port}/to-page`, { method: "POST", body: "x" });
    expect(followed.url).toBe(`http://127.0.0.1:${port}/echo`);
    expect((JSON.parse(followed.body.toString()) as { method: string }).method).toBe("GET");
  });

  it("cuts or refuses oversize responses", async () => {
    const f = new SafeFetcher({ allow: [`127.0.0.1:${port}`] });
    expect(await refusal(f.fetch(`http://127.0.0.1:${port}/big`, { maxBytes: 100_000 }))).toBe("too_large");
    expect(await refusal(f.fetch(`http://127.0.0.1:${port}/big-chunked`, { maxBytes: 100_000 }))).toBe("too_large");
    const cut = await f.fetch(`http://127.0.0.1:${port}/big-chunked`, { maxBytes: 100_000, overflow: "truncate" });
    expect(cut.truncated).toBe(true);
    expect(cut.body.length).toBe(100_000);
    const cutDeclared = await f.fetch(`http://127.0.0.1:${port}/big`, { maxBytes: 1_000, overflow: "truncate" });
    expect(cutDeclared.body.length).toBe(1_000);
  });

  it("cuts a slow response at its deadline", async () => {
    const f = new SafeFetcher({ allow: [`127.0.0.1:${port}`] });
    const started = Date.now();
    expect(await refusal(f.fetch(`http://127.0.0.1:${port}/slow`, { timeoutMs: 300 }))).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(slowSockets).toBe(1);
  });
});

describe("SafeFetcher and DNS", () => {
  it("resolves through the configured servers and connects to the address it checked", async () => {
    const f = new SafeFetcher({ allow: [`intranet.test:${port}`], dnsServers: [dns.address] });
    const r = await f.fetch(`http://intranet.test:${port}/page`);
    expect(r.status).toBe(200);
  });

  it("refuses a name that resolves to loopback", async () => {
    const f = new SafeFetcher({ allow: [`:${port}`], dnsServers: [dns.address] });
    expect(await refusal(f.fetch(`http://loopback-first.test:${port}/secret`))).toBe("forbidden_target");
  });

  it("is not fooled by DNS rebinding: the connection goes to the checked public address, never to loopback", async () => {
    const f = new SafeFetcher({ allow: [`:${port}`], dnsServers: [dns.address] });
    const before = dns.queries.get("rebind.test") ?? 0;
    let body = "";
    try {
      body = (await f.fetch(`http://rebind.test:${port}/secret`, { timeoutMs: 1_500 })).body.toString();
    } catch (e) {
      expect(e).toBeInstanceOf(SafeFetchError);
    }
    expect(body).not.toContain(SECRET);
    // One lookup only: a second (the rebinding one, answering 127.0.0.1) was never made.
    expect((dns.queries.get("rebind.test") ?? 0) - before).toBe(1);
  });

  it("refuses a name when any of its answers is non-public", async () => {
    const f = new SafeFetcher({ allow: [`:${port}`], dnsServers: [dns.address] }, async () => [
      "93.184.215.14",
      "10.0.0.1",
    ]);
    expect(await refusal(f.fetch(`http://mixed.test:${port}/`))).toBe("forbidden_target");
  });

  it("tries the next checked address when one refuses connections, IPv4 first", async () => {
    const f = new SafeFetcher({ allow: [`multi.test:${port}`] }, async () => ["::1", "127.0.0.2", "127.0.0.1"]);
    // ::1 comes last (IPv4 first); 127.0.0.2 refuses (the server listens on 127.0.0.1 only).
    const r = await f.fetch(`http://multi.test:${port}/page`);
    expect(r.status).toBe(200);
    const none = new SafeFetcher({ allow: [`multi.test:${port}`] }, async () => ["127.0.0.2", "127.0.0.3"]);
    expect(await refusal(none.fetch(`http://multi.test:${port}/page`))).toBe("network");
  });

  it.each([...V6_ONLY.keys()])("refuses %s, whose AAAA answer is not public", async (name) => {
    const f = new SafeFetcher({ allow: [`:${port}`], dnsServers: [dns.address] });
    expect(await refusal(f.fetch(`http://${name}:${port}/secret`))).toBe("forbidden_target");
  });

  it("reports unknown names", async () => {
    const f = new SafeFetcher({ dnsServers: [dns.address] });
    expect(await refusal(f.fetch("http://nowhere.test/"))).toBe("dns_failed");
  });
});
