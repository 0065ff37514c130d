import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropSchema,
  newSchemaName,
  spawnServerProcess,
  startTestServer,
  testDatabaseUrl,
  testDbKind,
  waitFor,
  type ServerProcess,
  type TestClient,
} from "@ensemble/testkit";
import { collabClient, newDocument, personalRoot, type CollabClient } from "./collab-clients.ts";

/**
 * A node killed with SIGKILL while someone types: every change the server
 * acknowledged before the kill is served after the restart (each update is
 * written before it is acknowledged; the whole state is stored only later).
 */
describe("co-editing survives SIGKILL", () => {
  const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
  let dir: string;
  let alice: TestClient;
  let docId: string;
  const nodes: ServerProcess[] = [];
  const clients: CollabClient[] = [];

  const startNode = async () => {
    const node = await spawnServerProcess({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dir,
      ...(schema ? { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema } : {}),
      LOG_LEVEL: "info",
      ARGON2_MEMORY_KIB: "1024",
      ARGON2_PASSES: "1",
      // Long enough that the whole state is never stored while typing: only the update log saves us.
      COLLAB_STORE_DEBOUNCE_MS: "600000",
    });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ensemble-docs-kill-"));
    // A short-lived in-process server migrates the storage and creates the person and the document.
    const setup = await startTestServer({ dataDir: dir, ...(schema ? { schema } : {}) });
    try {
      ({ client: alice } = await setup.signedIn());
      docId = await newDocument(alice, await personalRoot(alice), "Dictée.ensdoc");
    } finally {
      await setup.close();
    }
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const n of nodes) n.proc.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    if (schema) await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  it("loses no acknowledged change", async () => {
    const first = await startNode();
    const typist = collabClient(first.url, docId, { cookies: alice });
    clients.push(typist);
    await waitFor(() => typist.provider.isSynced, "typist synced");
    const line = "Le vif zéphyr jubile sur les kumquats du clown gracieux. ";
    for (let i = 0; i < 60; i++) {
      typist.text.insert(typist.text.length, line[i % line.length]!);
      if (i % 15 === 14) await waitFor(() => !typist.provider.hasUnsyncedChanges, `acknowledged up to ${i}`);
    }
    // Mid-typing: more keystrokes in flight, then the node dies without any chance to store.
    for (let i = 60; i < 90; i++) typist.text.insert(typist.text.length, line[i % line.length]!);
    const acked = typist.acked();
    first.proc.kill("SIGKILL");
    await first.exited;
    typist.destroy();
    expect(acked.length).toBeGreaterThanOrEqual(60);

    const second = await startNode();
    const reader = collabClient(second.url, docId, { cookies: alice });
    clients.push(reader);
    await waitFor(() => reader.provider.isSynced, "reader synced after the restart");
    expect(reader.text.toString().startsWith(acked)).toBe(true);
  });
});
