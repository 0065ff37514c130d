import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";

/** A browser-like Web Push subscription whose endpoint is on the test push service. */
export interface TestPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** Messages delivered to this subscription, decrypted, in arrival order. */
  received: ReceivedPush[];
}

export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload (RFC 8291), parsed as JSON when it is JSON. */
  payload: unknown;
  text: string;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  /** The verified VAPID claims (RFC 8292). */
  claims: { aud: string; exp: number; sub: string };
  vapidPublicKey: string;
}

export interface TestPushEndpoint {
  origin: string;
  /** Every accepted message, all subscriptions. */
  received: ReceivedPush[];
  /** Requests refused, with why (bad signature, wrong audience, undecryptable …). */
  rejected: string[];
  /** When set, only this VAPID public key (base64url) is accepted. */
  expectVapidKey(key: string): void;
  subscribe(): TestPushSubscription;
  /** From now on this subscription answers 410 Gone, as when a browser unsubscribed. */
  expire(endpoint: string): void;
  waitForPush(predicate: (p: ReceivedPush) => boolean, timeoutMs?: number): Promise<ReceivedPush>;
  close(): Promise<void>;
}

const b64u = (b: Buffer) => b.toString("base64url");
const unb64u = (s: string) => Buffer.from(s, "base64url");

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Checks `Authorization: vapid t=<JWT>, k=<key>`: an ES256 JWT signed by k, for this origin, not expired. */
function verifyVapid(
  header: string | undefined,
  origin: string,
  expectedKey: string | null,
): { claims: ReceivedPush["claims"]; key: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`no vapid authorization: ${header ?? "(none)"}`);
  const [, jwt, key] = m as unknown as [string, string, string];
  if (expectedKey && key !== expectedKey) throw new Error("signed with another VAPID key");
  const raw = unb64u(key);
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("VAPID key is not an uncompressed P-256 point");
  const publicKey = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33, 65)) },
    format: "jwk",
  });
  const [h, p, sig] = jwt.split(".");
  if (!h || !p || !sig) throw new Error("malformed JWT");
  const head = JSON.parse(unb64u(h).toString("utf8")) as { alg?: string };
  if (head.alg !== "ES256") throw new Error(`JWT alg ${String(head.alg)}`);
  if (!verify("sha256", Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, unb64u(sig)))
    throw new Error("bad JWT signature");
  const claims = JSON.parse(unb64u(p).toString("utf8")) as ReceivedPush["claims"];
  if (claims.aud !== origin) throw new Error(`audience ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 86_400 + 60))
    throw new Error("JWT expired or valid for more than 24 h");
  if (!/^(mailto:|https?:)/.test(claims.sub)) throw new Error(`bad subject ${claims.sub}`);
  return { claims, key };
}

/** RFC 8188 aes128gcm content coding with RFC 8291 keys: what a browser does with a push message. */
export function decryptPush(body: Buffer, uaPrivate: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65) throw new Error("keyid is not the sender's P-256 public key");
  const ecdhSecret = uaPrivate.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPrivate.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const records = body.subarray(21 + idlen);
  const out: Buffer[] = [];
  for (let i = 0, seq = 0; i < records.length; i += rs, seq++) {
    const rec = records.subarray(i, Math.min(i + rs, records.length));
    const iv = Buffer.from(nonce);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const d = createDecipheriv("aes-128-gcm", cek, iv);
    d.setAuthTag(rec.subarray(rec.length - 16));
    const plain = Buffer.concat([d.update(rec.subarray(0, rec.length - 16)), d.final()]);
    // Padding: content, one delimiter (2 = last record, 1 = more follow), then zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = i + rs >= records.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error("bad padding delimiter");
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

/**
 * A push service on loopback for tests: it verifies the VAPID signature and
 * audience of each request, decrypts the payload with the subscription's
 * private key (generated here, as a browser would) and keeps it.
 */
export async function startPushEndpoint(): Promise<TestPushEndpoint> {
  const subs = new Map<
    string,
    { ecdh: ReturnType<typeof createECDH>; auth: Buffer; sub: TestPushSubscription; gone: boolean }
  >();
  const received: ReceivedPush[] = [];
  const rejected: string[] = [];
  let expectedKey: string | null = null;
  let waiters: { predicate: (p: ReceivedPush) => boolean; resolve: (p: ReceivedPush) => void }[] = [];
  let origin = "";

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const s = subs.get(req.url ?? "");
      if (req.method !== "POST" || !s) return res.writeHead(404).end();
      if (s.gone) return res.writeHead(410).end();
      try {
        const { claims, key } = verifyVapid(req.headers.authorization, origin, expectedKey);
        if (req.headers["content-encoding"] !== "aes128gcm")
          throw new Error(`content-encoding ${String(req.headers["content-encoding"])}`);
        const text = decryptPush(body, s.ecdh, s.auth).toString("utf8");
        let payload: unknown = text;
        try {
          payload = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        const header = (n: string) => (typeof req.headers[n] === "string" ? (req.headers[n] as string) : null);
        const msg: ReceivedPush = {
          endpoint: s.sub.endpoint,
          payload,
          text,
          ttl: Number(header("ttl")),
          urgency: header("urgency"),
          topic: header("topic"),
          claims,
          vapidPublicKey: key,
        };
        received.push(msg);
        s.sub.received.push(msg);
        const matched = waiters.filter((w) => w.predicate(msg));
        waiters = waiters.filter((w) => !matched.includes(w));
        for (const w of matched) w.resolve(msg);
        res.writeHead(201).end();
      } catch (e) {
        rejected.push((e as Error).message);
        res.writeHead(400).end((e as Error).message);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("push endpoint has no port");
  origin = `http://127.0.0.1:${addr.port}`;

  return {
    origin,
    received,
    rejected,
    expectVapidKey: (k) => {
      expectedKey = k;
    },
    subscribe: () => {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomBytes(12).toString("hex")}`;
      const sub: TestPushSubscription = {
        endpoint: `${origin}${path}`,
        keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) },
        received: [],
      };
      subs.set(path, { ecdh, auth, sub, gone: false });
      return sub;
    },
    expire: (endpoint) => {
      const s = subs.get(new URL(endpoint).pathname);
      if (s) s.gone = true;
    },
    waitForPush: (predicate, timeoutMs = 10_000) => {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(
            new Error(
              `no matching push within ${timeoutMs} ms (${received.length} received, rejected: ${rejected.join("; ") || "none"})`,
            ),
          );
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (p: ReceivedPush) => {
            clearTimeout(timer);
            resolve(p);
          },
        };
        waiters.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
