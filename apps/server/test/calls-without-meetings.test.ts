import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { loadModules } from "../src/modules.ts";

/**
 * An installation whose module list has the chat and no meetings service (the
 * kernel's `calls` has no provider): the chat offers no call in its rooms, and
 * its call route and `/call` refuse.
 */
let dir: string;
let server: TestServer;
let owner: TestClient;
let roomId: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ensemble-calls-"));
  const list = path.join(dir, "modules.json");
  await writeFile(list, JSON.stringify({ modules: ["@ensemble/chat"] }));
  server = await startTestServer({ modules: await loadModules(list) });
  owner = (await server.signedIn()).client;
  const r = await owner.post<{ id: string }>("/api/chat/rooms", {
    type: "private",
    slug: "sans-reunions",
    memberIds: [],
  });
  if (r.status !== 201) throw new Error(r.text);
  roomId = r.body.id;
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("calls from a chat room without a meetings service", () => {
  it("offers no call and refuses one", async () => {
    const room = await owner.get<{ actions: string[] }>(`/api/chat/rooms/${roomId}`);
    expect(room.body.actions).toContain("post");
    expect(room.body.actions).not.toContain("call");
    expect((await owner.post(`/api/chat/rooms/${roomId}/call`, {})).status).toBe(403);
    expect((await owner.post(`/api/chat/rooms/${roomId}/commands`, { command: "/call", text: "" })).status).toBe(403);
  });
});
