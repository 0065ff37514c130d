import dgram from "node:dgram";
import ipaddr from "ipaddr.js";

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `dns.Resolver#setServers` or OUTBOUND_DNS_SERVERS. */
  address: string;
  /** A (IPv4) questions received, per name. */
  queries: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A tiny authoritative DNS responder on a loopback UDP port. `answer(name, n)`
 * chooses the IPv4 address for the n-th A question about `name` (0-based), or
 * null for NXDOMAIN; `answer6(name)` the IPv6 address for an AAAA question
 * (none by default: an empty answer). Enough to play a rebinding attacker whose
 * answers change between two lookups, or a name whose only address is IPv6.
 */
export async function startTestDns(
  answer: (name: string, n: number) => string | null,
  answer6: (name: string) => string | null = () => "",
): Promise<TestDnsServer> {
  const socket = dgram.createSocket("udp4");
  const queries = new Map<string, number>();
  socket.on("message", (msg, rinfo) => {
    if (msg.length < 12) return;
    let at = 12;
    const labels: string[] = [];
    while (at < msg.length && msg[at] !== 0) {
      const len = msg[at]!;
      labels.push(msg.subarray(at + 1, at + 1 + len).toString("ascii"));
      at += len + 1;
    }
    const questionEnd = at + 5;
    if (questionEnd > msg.length) return;
    const qtype = msg.readUInt16BE(at + 1);
    const name = labels.join(".").toLowerCase();
    let ip: string | null = "";
    if (qtype === 1) {
      const n = queries.get(name) ?? 0;
      queries.set(name, n + 1);
      ip = answer(name, n);
    } else if (qtype === 28) ip = answer6(name);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    // Response, authoritative, recursion desired/available echoed; rcode 3 (NXDOMAIN) when no name.
    header.writeUInt16BE(0x8580 | (ip === null ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(ip ? 1 : 0, 6);
    const question = msg.subarray(12, questionEnd);
    const parts: Buffer[] = [header, question];
    if (ip) {
      const bytes = ipaddr.parse(ip).toByteArray();
      const rr = Buffer.alloc(12 + bytes.length);
      rr.writeUInt16BE(0xc00c, 0);
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(0, 6);
      rr.writeUInt16BE(bytes.length, 10);
      Buffer.from(bytes).copy(rr, 12);
      parts.push(rr);
    }
    socket.send(Buffer.concat(parts), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
