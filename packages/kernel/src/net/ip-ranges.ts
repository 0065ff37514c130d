import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which addresses outbound requests may reach. The special ranges come from
 * `ipaddr.js` (its IANA special-purpose registry names, kept up to date by its
 * maintainers) rather than from a list of our own; this file only says which
 * names are public and how IPv6 forms that carry an IPv4 address are judged.
 */
export type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * Parses an IP literal (v4 dotted quad or v6, with or without brackets); null when it is not one.
 * Node's `isIP` decides first so that only canonical forms pass: `ipaddr.js` would also read
 * `127.1` or `0x7f.0.0.1`, which a URL parser or resolver never hands us.
 */
export function parseIp(s: string): Address | null {
  const bare = s.replace(/^\[|\]$/g, "");
  const kind = isIP(bare);
  if (kind === 0) return null;
  // ipaddr.js reads any IPv6 ending in a dotted quad as IPv4-mapped (`::127.0.0.1` would come
  // back as `::ffff:7f00:1`): spell the quad as two groups so each form keeps its own range.
  const quad = kind === 6 ? /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(bare) : null;
  if (!quad) return ipaddr.parse(bare);
  const [a, b, c, d] = quad.slice(2).map(Number) as [number, number, number, number];
  return ipaddr.parse(`${quad[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`);
}

/** NAT64's well-known prefix, where the IPv4 address is the last 32 bits (RFC 6052). */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
/** Global unicast: the only IPv6 space handed out to the public Internet. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

function lastV4(a: ipaddr.IPv6): ipaddr.IPv4 {
  const p = a.parts;
  return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
}

/** The IPv4 address an IPv6 address stands for (mapped, translated, NAT64, 6to4), if any. */
export function embeddedV4(a: Address): ipaddr.IPv4 | null {
  if (a.kind() !== "ipv6") return null;
  const v6 = a as ipaddr.IPv6;
  const range = v6.range() as string;
  if (range === "ipv4Mapped" || range === "rfc6145") return lastV4(v6);
  if (range === "rfc6052" && v6.match(NAT64_WELL_KNOWN)) return lastV4(v6);
  if (range === "6to4") {
    const p = v6.parts;
    return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]);
  }
  return null;
}

/**
 * The name of the range that decides whether `ip` may be reached: `unicast` for a public
 * address, otherwise `ipaddr.js`'s name (`loopback`, `private`, `linkLocal`, `carrierGradeNat`,
 * `uniqueLocal`, `multicast`, `teredo`, `reserved`, …). An IPv6 address that carries an IPv4
 * one is judged by that IPv4 address. What is left refused on purpose: NAT64's local-use prefix
 * (`64:ff9b:1::/48`, where the IPv4 address sits depends on the operator's prefix length),
 * Teredo (the client address is obfuscated and the tunnel relays anywhere) and IPv6 outside
 * global unicast `2000::/3` (IPv4-compatible `::a.b.c.d` among them). `invalid` for a non-IP.
 */
export function outboundRange(ip: string): string {
  const a = parseIp(ip);
  if (!a) return "invalid";
  const v4 = embeddedV4(a);
  if (v4) return v4.range();
  const range = a.range() as string;
  if (range !== "unicast") return range;
  if (a.kind() === "ipv6" && !a.match(GLOBAL_UNICAST_V6)) return "notGlobalUnicast";
  return range;
}

/** True when the address is private, loopback, link-local, multicast, reserved — or carries such an IPv4. */
export function isForbiddenAddress(ip: string): boolean {
  return outboundRange(ip) !== "unicast";
}

function parseRange(s: string): Range | null {
  const [addr, bitsText, extra] = s.split("/");
  if (extra !== undefined) return null;
  const a = parseIp(addr ?? "");
  if (!a) return null;
  const max = a.kind() === "ipv4" ? 32 : 128;
  if (bitsText === undefined) return [a, max];
  const bits = Number(bitsText);
  if (!/^\d{1,3}$/.test(bitsText) || bits > max) return null;
  return [a, bits];
}

const inRange = (a: Address, r: Range): boolean => a.kind() === r[0].kind() && a.match(r);

/**
 * An administrator's outbound allow-list. Entries:
 *  - `10.1.2.0/24`, `fd00::/8`, `192.168.1.5`: addresses in range may be reached (on allowed ports);
 *  - `intranet.local:8080`, `127.0.0.1:4000`, `[::1]:8443`: that host on that port, whatever it resolves to;
 *  - `:8080`: an extra port allowed on any permitted address.
 */
export class OutboundAllowList {
  private readonly ranges: Range[] = [];
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
      const r = parseRange(e);
      if (!r) throw new Error(`invalid outbound allow-list entry "${raw}" (expected a CIDR, host:port or :port)`);
      this.ranges.push(r);
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
    if (this.ranges.some((r) => inRange(a, r) || (v4 !== null && inRange(v4, r)))) return true;
    return !isForbiddenAddress(ip);
  }
}

/** Lower case, no brackets for IPv4, IPv6 in its RFC 5952 text so `[::1]` and `[0::1]` are the same entry. */
export function normalizeHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  const a = parseIp(h);
  if (!a || a.kind() === "ipv4") return h.replace(/^\[|\]$/g, "");
  return `[${a.toString()}]`;
}
