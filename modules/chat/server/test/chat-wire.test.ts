import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordEvent } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { chatEventSchemas } from "../../shared/events.ts";
import type { ChatMessage, Room } from "../../shared/schemas.ts";
import chatModule from "../module.ts";
import { createRoom, history, send, user, type ChatUser } from "./chat-fixtures.ts";

let s: TestServer;
let alice: ChatUser;
let room: Room;

beforeAll(async () => {
  s = await startTestServer();
  alice = await user(s);
  room = await createRoom(alice.client);
});
afterAll(() => s?.close());

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

describe("chat wire schemas", () => {
  it("declares what every chat route answers: a JSON schema, no content (204) or a body of its own", async () => {
    const doc = (await s.client().get<OpenApiDoc>("/api/openapi.json")).body;
    const chatOps = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/api/chat") || path.startsWith("/hooks/"))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ op: `${method} ${path}`, ...op })));
    expect(chatOps.length).toBeGreaterThan(80);
    const without = chatOps.filter((o) => !Object.keys(o.responses ?? {}).some((code) => /^2\d\d$/.test(code)));
    expect(without.map((o) => o.op)).toEqual([]);
  });

  it("defines every chat event with its payload schema, and a recorded payload that drifts is refused", async () => {
    const defined = new Map((chatModule.events ?? []).map((d) => [d.name, d]));
    expect([...defined.keys()].sort()).toEqual(Object.keys(chatEventSchemas).sort());
    for (const [name, schema] of Object.entries(chatEventSchemas)) expect(defined.get(name)?.schema).toBe(schema);
    await expect(
      recordEvent(s.kernel.db, {
        name: "chat.message.deleted",
        actorId: null,
        // The type refuses it too; the cast stands for a presenter that drifted at run time.
        payload: { roomId: room.id, messageId: 42 } as unknown as { roomId: string; messageId: string; parentId: null },
      }),
    ).rejects.toThrow(/chat\.message\.deleted \(v1\).*messageId/);
  });

  it("never sends a field the message schema does not name, at any depth", async () => {
    const m = await send(alice.client, room.id, "avec pièce jointe", {
      attachments: [{ title: "CR", secret: "dans la pièce jointe" }],
    });
    // What older rows or a careless writer might hold: unnamed fields in meta, an attachment and its file.
    await s.kernel.db
      .withTables<{ chat_messages: { id: string; meta: string | null; attachments: string | null } }>()
      .updateTable("chat_messages")
      .set({
        meta: JSON.stringify({ username: "robot", token: "secret-du-meta" }),
        attachments: JSON.stringify([
          {
            title: "CR",
            secret: "dans la pièce jointe",
            file: { id: "f", name: "a.pdf", size: 1, mimeType: "x", blobKey: "k" },
          },
        ]),
      })
      .where("id", "=", m.id)
      .execute();
    const one = await alice.client.get<ChatMessage>(`/api/chat/messages/${m.id}`);
    const page = await history(alice.client, room.id);
    for (const text of [one.text, JSON.stringify(page)]) {
      expect(text).not.toMatch(/secret|blobKey/);
    }
    expect(one.body.meta).toEqual({ username: "robot" });
    expect(one.body.attachments).toEqual([{ title: "CR", file: { id: "f", name: "a.pdf", size: 1, mimeType: "x" } }]);
    expect(m.attachments).toEqual([{ title: "CR" }]);
  });
});
