import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { createRoom, history, send } from "./extras-fixtures.ts";

// An attachment's links are followed by readers: only http(s) is kept, on the server, whoever sent them.
let server: TestServer;
let owner: TestClient;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = (await server.signedIn()).client;
  roomId = await createRoom(owner, {});
});
afterAll(async () => server.close());

const unsafe = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "/relative"];

describe("attachment links", () => {
  it("the message API drops title_link and author_link that are not http(s)", async () => {
    const sent = await send(owner, roomId, "liens", {
      attachments: [
        ...unsafe.map((u) => ({ title: u, title_link: u, author_name: "a", author_link: u })),
        { title: "ok", title_link: "https://example.org/a", author_name: "b", author_link: "http://example.org/b" },
      ],
    });
    expect(sent.status).toBe(201);
    const m = (await history(owner, roomId)).find((x) => x.id === sent.body.id)!;
    expect(m.attachments!.slice(0, unsafe.length)).toEqual(unsafe.map((u) => ({ title: u, author_name: "a" })));
    expect(m.attachments!.at(-1)).toMatchObject({
      title_link: "https://example.org/a",
      author_link: "http://example.org/b",
    });
  });

  it("an incoming webhook's unsafe links are dropped", async () => {
    const hook = await owner.post<{ url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "l" });
    const r = await fetch(hook.body.url.replace(server.config.publicUrl, server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        text: "du webhook",
        attachments: [{ title: "t", title_link: "javascript:alert(1)", author_name: "n", author_link: "data:,x" }],
      }),
    });
    expect(r.status).toBe(200);
    const m = (await history(owner, roomId)).find((x) => x.text === "du webhook")!;
    expect(m.attachments).toEqual([{ title: "t", author_name: "n" }]);
  });

  it("a row stored before the rule is presented without them", async () => {
    const sent = await send(owner, roomId, "ancien");
    await server.kernel.db
      .withTables<{ chat_messages: { id: string; attachments: string | null } }>()
      .updateTable("chat_messages")
      .set({ attachments: JSON.stringify([{ title: "x", title_link: "javascript:alert(1)" }]) })
      .where("id", "=", sent.body.id)
      .execute();
    const m = (await history(owner, roomId)).find((x) => x.id === sent.body.id)!;
    expect(m.attachments).toEqual([{ title: "x" }]);
  });
});
