import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropSchema,
  newSchemaName,
  startTestServer,
  testRedisUrl,
  waitFor,
  type TestClient,
  type TestServer,
} from "@ensemble/testkit";
import { collabClient, newDocument, personalRoot, type CollabClient } from "./collab-clients.ts";

/** Two nodes on one PostgreSQL schema and one Redis prefix: people on either edit one document. */
describe("co-editing across two nodes (PostgreSQL + Redis)", () => {
  const schema = newSchemaName();
  const env = { REDIS_URL: testRedisUrl(), REDIS_PREFIX: `t-${schema}:`, COLLAB_STORE_DEBOUNCE_MS: "50" };
  let a: TestServer;
  let b: TestServer;
  let alice: TestClient;
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    a = await startTestServer({ database: "postgres", schema, env });
    b = await startTestServer({ database: "postgres", schema, env });
    ({ client: alice } = await a.signedIn());
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await a?.close();
    await b?.close();
    await dropSchema(schema);
  });

  it("converges when the editors are on different nodes", async () => {
    const id = await newDocument(alice, await personalRoot(alice), "Deux nœuds.ensdoc");
    const onA = collabClient(a.url, id, { cookies: alice });
    const onB = collabClient(b.url, id, { cookies: alice });
    clients.push(onA, onB);
    await waitFor(() => onA.provider.isSynced && onB.provider.isSynced, "both synced");
    onA.text.insert(0, "Nord ");
    onB.text.insert(0, "Sud ");
    await waitFor(() => onA.text.length === 9 && onB.text.length === 9, "each edit on the other node", 15_000);
    expect(onA.text.toString()).toBe(onB.text.toString());
    // A third client joining node B later gets both (from the other node's memory or the database).
    const late = collabClient(b.url, id, { cookies: alice });
    clients.push(late);
    await waitFor(() => late.text.toString() === onA.text.toString(), "the late client", 15_000);
  });
});
