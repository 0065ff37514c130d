import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { BenchReport } from "./report.ts";
import { createAdmin, freePort, rssMiB, startServerProcess } from "./server-process.ts";

const BIG_MIB = Number(process.env.BENCH_FILES_MIB ?? 256);
const SMALL = 1_000;
const SMALL_BYTES = 4096;
const CONCURRENCY = Number(process.env.BENCH_FILES_CONCURRENCY ?? 4);
const PROPFINDS = 10;

/** A WebDAV endpoint under test: the folder URL to work in and its Authorization header. */
interface Dav {
  name: string;
  base: string;
  auth: string;
  pid: number;
}

async function dav(d: Dav, method: string, p: string, init: RequestInit = {}): Promise<Response> {
  const r = await fetch(`${d.base}${p}`, {
    ...init,
    method,
    headers: { authorization: d.auth, ...(init.headers as Record<string, string>) },
  });
  if (r.status >= 300 && r.status !== 207) throw new Error(`${d.name} ${method} ${p}: ${r.status} ${await r.text()}`);
  return r;
}

interface Figures {
  putMiBs: number;
  getMiBs: number;
  rssGrowthMiB: number;
  smallFilesPerS: number;
  propfindMs: number;
}

/** The same workload against either server: one large file up and down, 1,000 small files, PROPFIND depth 1. */
async function workload(d: Dav, bigFile: string): Promise<Figures> {
  await dav(d, "MKCOL", "/bench");
  const rss0 = rssMiB(d.pid);
  let t = performance.now();
  await dav(d, "PUT", "/bench/big.bin", {
    body: Readable.toWeb(createReadStream(bigFile)) as ReadableStream,
    headers: { "content-length": String(BIG_MIB * 1024 * 1024) },
    duplex: "half",
  } as RequestInit);
  const putS = (performance.now() - t) / 1000;
  const rss1 = rssMiB(d.pid);
  t = performance.now();
  const got = await dav(d, "GET", "/bench/big.bin");
  let bytes = 0;
  for await (const c of got.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length;
  const getS = (performance.now() - t) / 1000;
  if (bytes !== BIG_MIB * 1024 * 1024) throw new Error(`${d.name}: GET answered ${bytes} bytes`);

  await dav(d, "MKCOL", "/bench/small");
  const body = Buffer.alloc(SMALL_BYTES, 97);
  let next = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SMALL) {
        const i = next++;
        await dav(d, "PUT", `/bench/small/f${String(i).padStart(4, "0")}.txt`, { body });
      }
    }),
  );
  const smallS = (performance.now() - t) / 1000;

  const propfind = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>';
  await dav(d, "PROPFIND", "/bench/small/", { headers: { depth: "1" }, body: propfind }); // warm-up
  const times: number[] = [];
  for (let i = 0; i < PROPFINDS; i++) {
    t = performance.now();
    const r = await dav(d, "PROPFIND", "/bench/small/", { headers: { depth: "1" }, body: propfind });
    const entries = ((await r.text()).match(/<d:response>|<D:response>/g) ?? []).length;
    times.push(performance.now() - t);
    if (entries !== SMALL + 1) throw new Error(`${d.name}: PROPFIND listed ${entries} entries`);
  }
  times.sort((a, b) => a - b);
  return {
    putMiBs: BIG_MIB / putS,
    getMiBs: BIG_MIB / getS,
    rssGrowthMiB: rss1 - rss0,
    smallFilesPerS: SMALL / smallS,
    propfindMs: times[Math.floor(times.length / 2)]!,
  };
}

/** `rclone serve webdav` on a folder of its own, with Basic auth like ours. */
async function startRclone(dir: string): Promise<{ dav: Dav; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "/usr/bin/rclone",
    ["serve", "webdav", dir, "--addr", `127.0.0.1:${port}`, "--user", "bench", "--pass", "bench-pass"],
    { env: { ...process.env, RCLONE_CONFIG: "/dev/null" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from("bench:bench-pass").toString("base64")}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error("rclone serve webdav exited");
    try {
      if (
        (await fetch(`${base}/`, { method: "PROPFIND", headers: { authorization: auth, depth: "0" } })).status === 207
      )
        break;
    } catch {
      // Not listening yet.
    }
    if (i > 1000) throw new Error("rclone serve webdav did not start");
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    dav: { name: "rclone", base, auth, pid: child.pid! },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

const f1 = (x: number) => x.toFixed(1);
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;

export async function files(): Promise<BenchReport> {
  const work = await mkdtemp(path.join(tmpdir(), "ensemble-bench-files-"));
  try {
    const bigFile = path.join(work, "big.bin");
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
    await writeFile(bigFile, Buffer.concat(Array.from({ length: BIG_MIB }, () => chunk)));
    // The floor: a plain copy of the same file on the same disk.
    const t = performance.now();
    await copyFile(bigFile, path.join(work, "copy.bin"));
    const copyMiBs = BIG_MIB / ((performance.now() - t) / 1000);
    await rm(path.join(work, "copy.bin"));
    if ((await stat(bigFile)).size !== BIG_MIB * 1024 * 1024) throw new Error("bench file not written");

    const server = await startServerProcess({ env: { LOG_LEVEL: "warn" }, timeoutMs: 180_000 });
    let ours: Figures;
    try {
      const admin = await createAdmin(server);
      const csrf = /ensemble_csrf=([^;]+)/.exec(admin.cookie)?.[1] ?? "";
      const r = await fetch(`${server.url}/api/me/tokens`, {
        method: "POST",
        headers: { cookie: admin.cookie, "x-csrf-token": csrf, "content-type": "application/json" },
        body: JSON.stringify({ name: "bench", scopes: ["read", "write"] }),
      });
      const token = ((await r.json()) as { token: string }).token;
      ours = await workload(
        {
          name: "ensemble",
          base: `${server.url}/remote.php/dav/files/${admin.username}`,
          auth: `Basic ${Buffer.from(`${admin.username}:${token}`).toString("base64")}`,
          pid: server.pid,
        },
        bigFile,
      );
    } finally {
      await server.stop();
    }
    const served = path.join(work, "rclone");
    await mkdir(served);
    const rclone = await startRclone(served);
    let theirs: Figures;
    try {
      theirs = await workload(rclone.dav, bigFile);
    } finally {
      await rclone.stop();
    }
    return {
      title: "Partageons: WebDAV against rclone serve webdav",
      table: [
        ["measure", "Ensemble", "rclone serve webdav", "Ensemble / rclone"],
        [`PUT ${BIG_MIB} MiB (MiB/s)`, f1(ours.putMiBs), f1(theirs.putMiBs), ratio(ours.putMiBs, theirs.putMiBs)],
        [`GET ${BIG_MIB} MiB (MiB/s)`, f1(ours.getMiBs), f1(theirs.getMiBs), ratio(ours.getMiBs, theirs.getMiBs)],
        ["RSS growth during the PUT (MiB)", f1(ours.rssGrowthMiB), f1(theirs.rssGrowthMiB), "—"],
        [
          `${SMALL} × 4 KiB PUT, ${CONCURRENCY} at a time (files/s)`,
          f1(ours.smallFilesPerS),
          f1(theirs.smallFilesPerS),
          ratio(ours.smallFilesPerS, theirs.smallFilesPerS),
        ],
        [
          `PROPFIND depth 1, ${SMALL} entries (median ms)`,
          f1(ours.propfindMs),
          f1(theirs.propfindMs),
          ratio(theirs.propfindMs, ours.propfindMs),
        ],
      ],
      notes: [
        `Plain copy of the same ${BIG_MIB} MiB file on the same disk: ${f1(copyMiBs)} MiB/s (PUT is ${ratio(ours.putMiBs, copyMiBs)} of it, GET ${ratio(ours.getMiBs, copyMiBs)}).`,
        "Same client (Node fetch, loopback, Basic auth) and the same data against both servers, one after the other; Ensemble with its embedded defaults (SQLite, local disk, production mode), rclone v1.60 (Debian) serving a local folder. Ratios above 1× are Ensemble faster (PROPFIND: rclone's time over ours).",
        "Ensemble hashes every upload three times (SHA-256, SHA-1, MD5 for oc:checksums) and records a version and an event per file; rclone serve webdav writes the bytes.",
        "Other agents were running test suites on the same 2 cores (see the load average): the two servers ran minutes apart under that load, so the ratios say more than the absolute figures. Not yet measured: S3, tus, 10,000-entry folders, 1 GiB.",
      ],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
