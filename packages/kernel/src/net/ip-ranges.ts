import { isIP } from "node:net";

/** An address as a number plus its family, so ranges compare the same way for v4 and v6. */
interface Addr {
  family: 4 | 6;
  value: bigint;
}

interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
}

function parseV4(s: string): bigint | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(input: string): bigint | null {
  let s = input.replace(/^\[|\]$/g, "").toLowerCase();
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v4 = parseV4(dotted[2]!);
    if (v4 === null) return null;
    s = `${dotted[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** Parses an IP literal (v4 dotted quad or v6, with or without brackets); null when it is not one. */
export function parseIp(s: string): Addr | null {
  const bare = s.replace(/^\[|\]$/g, "");
  const kind = isIP(bare.split("%")[0] ?? "");
  if (kind === 4) {
    const v = parseV4(bare);
    return v === null ? null : { family: 4, value: v };
  }
  if (kind === 6) {
    const v = parseV6(bare);
    return v === null ? null : { family: 6, value: v };
  }
  return null;
}

export function parseCidr(s: string): Cidr | null {
  const [addr, bitsText] = s.split("/");
  const a = parseIp(addr ?? "");
  if (!a) return null;
  const max = a.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max || (bitsText !== undefined && !/^\d+$/.test(bitsText)))
    return null;
  return { family: a.family, base: a.value, bits };
}

function inCidr(a: Addr, c: Cidr): boolean {
  if (a.family !== c.family) return false;
  const width = a.family === 4 ? 32n : 128n;
  const shift = width - BigInt(c.bits);
  return a.value >> shift === c.base >> shift;
}

const cidrs = (list: string[]): Cidr[] => list.map((s) => parseCidr(s)!);

/** Addresses no outbound request may reach unless an administrator allow-lists them. */
const FORBIDDEN_V4 = cidrs([
  "0.0.0.0/8", // "this network", unspecified
  "10.0.0.0/8",
  "100.64.0.0/10", // carrier-grade NAT
  "127.0.0.0/8",
  "169.254.0.0/16", // link-local, cloud metadata endpoints
  "172.16.0.0/12",
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, broadcast
]);

const FORBIDDEN_V6 = cidrs([
  "::/128", // unspecified
  "::1/128",
  "fe80::/10", // link-local
  "fec0::/10", // old site-local
  "fc00::/7", // unique-local
  "ff00::/8", // multicast
  "100::/64", // discard
  "2001:db8::/32", // documentation
]);

/** IPv6 forms that carry an IPv4 address: judged by the address they carry. */
const EMBEDDING_V6: { cidr: Cidr; extract: (v: bigint) => bigint }[] = [
  { cidr: parseCidr("::ffff:0:0/96")!, extract: (v) => v & 0xffffffffn }, // IPv4-mapped
  { cidr: parseCidr("::/96")!, extract: (v) => v & 0xffffffffn }, // IPv4-compatible (deprecated)
  { cidr: parseCidr("64:ff9b::/96")!, extract: (v) => v & 0xffffffffn }, // NAT64 well-known prefix
  { cidr: parseCidr("64:ff9b:1::/48")!, extract: (v) => v & 0xffffffffn }, // NAT64 local-use prefix
  { cidr: parseCidr("2002::/16")!, extract: (v) => (v >> 80n) & 0xffffffffn }, // 6to4
];

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedV4(a: Addr): Addr | null {
  if (a.family !== 6) return null;
  for (const e of EMBEDDING_V6) if (inCidr(a, e.cidr)) return { family: 4, value: e.extract(a.value) };
  return null;
}

/** True when the address is private, loopback, link-local, multicast, reserved — or carries such an IPv4. */
export function isForbiddenAddress(ip: string): boolean {
  const a = parseIp(ip);
  if (!a) return true;
  if (a.family === 4) return FORBIDDEN_V4.some((c) => inCidr(a, c));
  const v4 = embeddedV4(a);
  // ::/96 also holds :: and ::1, which are forbidden in their own right.
  if (v4 && FORBIDDEN_V4.some((c) => inCidr(v4, c))) return true;
  return FORBIDDEN_V6.some((c) => inCidr(a, c));
}

/**
 * An administrator's outbound allow-list. Entries:
 *  - `10.1.2.0/24`, `fd00::/8`, `192.168.1.5`: addresses in range may be reached (on allowed ports);
 *  - `intranet.local:8080`, `127.0.0.1:4000`, `[::1]:8443`: that host on that port, whatever it resolves to;
 *  - `:8080`: an extra port allowed on any permitted address.
 */
export class OutboundAllowList {
  private readonly ranges: Cidr[] = [];
  private readonly hostPorts = new Set<string>();
  private readonly ports = new Set<number>([80, 443]);

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const e = raw.trim().toLowerCase();
      if (!e) continue;
      const hp = /^(\[[0-9a-f:.]+\]|[^:/\s]*):(\d{1,5})$/.exec(e);
      if (hp) {
        const port = Number(hp[2]);
        if (port < 1 || port > 65535) throw new Error(`invalid port in outbound allow-list entry "${raw}"`);
        if (hp[1] === "") this.ports.add(port);
        else this.hostPorts.add(`${normalizeHost(hp[1]!)}:${port}`);
        continue;
      }
      const c = parseCidr(e);
      if (!c) throw new Error(`invalid outbound allow-list entry "${raw}" (expected a CIDR, host:port or :port)`);
      this.ranges.push(c);
    }
  }

  /** True when host:port is named explicitly: then any address it resolves to may be reached. */
  hostPortAllowed(host: string, port: number): boolean {
    return this.hostPorts.has(`${normalizeHost(host)}:${port}`);
  }

  portAllowed(host: string, port: number): boolean {
    return this.ports.has(port) || this.hostPortAllowed(host, port);
  }

  addressAllowed(host: string, port: number, ip: string): boolean {
    if (this.hostPortAllowed(host, port)) return true;
    const a = parseIp(ip);
    if (!a) return false;
    const v4 = embeddedV4(a);
    if (this.ranges.some((c) => inCidr(a, c) || (v4 !== null && inCidr(v4, c)))) return true;
    return !isForbiddenAddress(ip);
  }
}

/** Lower case, no brackets, IPv6 in one canonical text so `[::1]` and `[0::1]` are the same entry. */
export function normalizeHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  const a = parseIp(h);
  if (!a || a.family === 4) return h.replace(/^\[|\]$/g, "");
  return `[${a.value.toString(16).padStart(32, "0").match(/.{4}/g)!.join(":")}]`;
}
