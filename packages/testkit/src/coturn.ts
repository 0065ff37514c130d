import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

export interface TestCoturn {
  port: number;
  /** coturn's `static-auth-secret`: the server's TURN_SECRET. */
  secret: string;
  realm: string;
  /** The server's TURN_URLS. */
  url: string;
  /** coturn's log so far (verbose: one line per allocation and refusal). */
  log: string[];
  stop(): Promise<void>;
}

/** A UDP port nobody holds on loopback at this instant (coturn binds it next; a loser is retried). */
async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.bind(0, "127.0.0.1", resolve);
  });
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(resolve));
  return port;
}

const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => p.once("exit", () => resolve()));

/**
 * Starts one attempt; resolves once coturn says its UDP listener is open,
 * with `null` when another process took the port first (coturn would retry
 * that bind forever).
 */
async function attempt(port: number, secret: string, realm: string, dir: string) {
  const args = [
    "-n", // no configuration file: the machine's /etc/turnserver.conf must not weigh in
    "-v", // verbose: logs the listener opening (the ready signal) and each allocation
    "--use-auth-secret",
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    "--listening-ip=127.0.0.1",
    `--listening-port=${port}`,
    "--relay-ip=127.0.0.1",
    // The SFU and the browsers are on loopback: coturn refuses such peers unless told.
    "--allow-loopback-peers",
    "--no-tcp",
    "--no-tls",
    "--no-dtls",
    "--no-rfc5780", // would want a second address and the next port
    "--no-cli",
    `--pidfile=${path.join(dir, "turnserver.pid")}`,
    `--userdb=${path.join(dir, "turndb")}`,
    "--log-file=stdout",
  ];
  const p = spawn("turnserver", args, { stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const ready = new Promise<boolean>((resolve, reject) => {
    p.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "ENOENT"
          ? new Error("coturn's turnserver is not installed (apt-get install coturn): the relay tests need it")
          : e,
      ),
    );
    p.once("exit", (code, signal) =>
      reject(new Error(`turnserver ended before listening (${code ?? signal}):\n${log.slice(-20).join("\n")}`)),
    );
    for (const stream of [p.stdout, p.stderr])
      createInterface({ input: stream }).on("line", (line) => {
        log.push(line);
        if (line.includes(`UDP listener opened on: 127.0.0.1:${port}`)) resolve(true);
        if (line.includes(`Cannot bind`) && line.includes(`127.0.0.1:${port}`)) resolve(false);
      });
  });
  const listening = await ready.catch(async (e: unknown) => {
    p.kill();
    await exited(p);
    throw e;
  });
  if (!listening) {
    p.kill();
    await exited(p);
    return null;
  }
  return { p, log };
}

/**
 * Debian's coturn on a free loopback port, as the TURN REST scheme wants it
 * (`use-auth-secret` with a random shared secret), for the meetings' relay
 * tests. Ready when its log says the UDP listener is open — no timer. A
 * missing `turnserver` is an error, never a skip.
 */
export async function startCoturn(): Promise<TestCoturn> {
  const secret = randomBytes(24).toString("hex");
  const realm = "ensemble.test";
  const dir = await mkdtemp(path.join(tmpdir(), "ensemble-coturn-"));
  for (let tries = 0; tries < 5; tries++) {
    const port = await freeUdpPort();
    const started = await attempt(port, secret, realm, dir).catch(async (e: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw e;
    });
    if (!started) continue;
    const { p, log } = started;
    return {
      port,
      secret,
      realm,
      url: `turn:127.0.0.1:${port}?transport=udp`,
      log,
      async stop() {
        p.kill();
        await exited(p);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error("no free loopback port for coturn after 5 tries");
}
