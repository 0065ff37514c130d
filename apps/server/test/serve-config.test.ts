import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, newSchemaName, testDbKind } from "@ensemble/testkit";
import { freePort, runCli, startServe, storageEnv } from "./cli-process.ts";

/** `ensemble serve` as operators start it: a bad setting stops it with a message naming the variable. */
describe("serve configuration", () => {
  let work: string;
  const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "ensemble-config-"));
  });
  afterAll(async () => {
    if (schema) await dropSchema(schema);
    await rm(work, { recursive: true, force: true });
  });

  const refuses = async (env: Record<string, string>, variable: string, expected: RegExp) => {
    const r = await runCli(["serve"], { ...storageEnv(path.join(work, "never"), schema), ...env });
    expect(r.code, `${variable}: ${r.stderr}`).not.toBe(0);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(new RegExp(`^Invalid configuration:\\n\\s+${variable}: `));
    expect(r.stderr).toMatch(expected);
    expect(r.stdout).not.toContain("Ensemble is ready");
  };

  it("stops on a port that is not a number", () => refuses({ PORT: "notaport" }, "PORT", /number/));
  it("stops on a database URL of an unsupported engine", () =>
    refuses({ DATABASE_URL: "mysql://x" }, "DATABASE_URL", /postgres:\/\//));
  it("stops on an unknown log level", () => refuses({ LOG_LEVEL: "loud" }, "LOG_LEVEL", /"fatal"|fatal/));

  it("stops on a CONFIG_FILE that is not JSON, or that holds a bad value", async () => {
    const notJson = path.join(work, "broken.json");
    await writeFile(notJson, "PORT=8080\n");
    await refuses({ CONFIG_FILE: notJson }, "CONFIG_FILE", /cannot read JSON file/);
    await refuses({ CONFIG_FILE: path.join(work, "missing.json") }, "CONFIG_FILE", /cannot read JSON file/);
    const badValue = path.join(work, "bad-value.json");
    await writeFile(badValue, JSON.stringify({ PORT: "eighty" }));
    await refuses({ CONFIG_FILE: badValue }, "PORT", /number/);
  });

  it("uses CONFIG_FILE values, and the environment wins over them", async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const fileDir = path.join(work, "from-file");
    const envDir = path.join(work, "from-env");
    const file = path.join(work, "ensemble.json");
    // A number and a string, as people write JSON by hand.
    await writeFile(
      file,
      JSON.stringify({ PORT: filePort, DATA_DIR: fileDir, LOG_LEVEL: "silent", HOST: "127.0.0.1" }),
    );

    // File values alone: its port, its data directory, its (silent) log level.
    const fromFile = startServe({
      CONFIG_FILE: file,
      ...storageEnv(fileDir, schema),
      DATA_DIR: undefined,
      LOG_LEVEL: undefined,
      HOST: undefined,
    });
    const base = `http://127.0.0.1:${filePort}`;
    await waitForReady(base, fromFile.exited);
    fromFile.child.kill("SIGTERM");
    expect((await fromFile.exited).code).toBe(0);
    expect(fromFile.output()).not.toContain("Ensemble is ready");
    if (testDbKind() === "sqlite") expect(existsSync(path.join(fileDir, "ensemble.db"))).toBe(true);

    // The environment overrides the file: another port, another directory, info logs.
    const fromEnv = startServe({
      CONFIG_FILE: file,
      ...storageEnv(envDir, schema),
      PORT: String(envPort),
      LOG_LEVEL: "info",
      HOST: undefined,
    });
    const url = await fromEnv.ready;
    expect(url).toBe(`http://127.0.0.1:${envPort}`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    fromEnv.child.kill("SIGTERM");
    expect((await fromEnv.exited).code).toBe(0);
    if (testDbKind() === "sqlite") expect(existsSync(path.join(envDir, "ensemble.db"))).toBe(true);
  });
});

/** Its log level is silent, so there is no ready line to wait for: ask /readyz until it answers or the child exits. */
async function waitForReady(base: string, exited: Promise<{ code: number | null }>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  // A start can take tens of seconds on a loaded two-core machine; the test's own limit bounds this.
  const deadline = Date.now() + 80_000;
  for (;;) {
    if (gone) throw new Error(`${base}: the server exited before it was ready`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${base} never became ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
