import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { ChatMessage } from "../../shared/schemas.ts";
import { createRoom } from "./extras-fixtures.ts";

// Whatever a third party posts to an incoming webhook: 4xx, or a sanitised message — never a 500.
let server: TestServer;
let owner: TestClient;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = (await server.signedIn()).client;
  roomId = await createRoom(owner, {});
});
afterAll(async () => server.close());

async function newHook(): Promise<string> {
  const r = await owner.post<{ url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "fuzz" });
  expect(r.status).toBe(201);
  return r.body.url.replace(server.config.publicUrl, server.url);
}

const anyText = (max: number) => fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: max }));
const anyUrl = fc.oneof(
  fc.webUrl(),
  fc.constantFrom("javascript:alert(1)", "data:text/html,x", "vbscript:x", "ftp://example.org/", "//example.org/x", ""),
  fc.nat({ max: 6000 }).map((n) => `https://example.org/${"a".repeat(n)}`),
  fc.nat({ max: 3000 }).map((n) => `https://example.org/?q=${"é%".repeat(n)}`),
  anyText(300),
);
const attachment = fc.record(
  {
    fallback: anyText(5000),
    color: fc.oneof(
      fc.constantFrom("good", "danger", "constructor", "__proto__", "toString", "#abc", "ff0000"),
      anyText(50),
    ),
    pretext: anyText(5000),
    author_name: anyText(400),
    author_link: anyUrl,
    author_icon: anyUrl,
    title: anyText(2000),
    title_link: anyUrl,
    text: anyText(9000),
    fields: fc.array(
      fc.record({ title: anyText(600), value: fc.oneof(anyText(5000), fc.double()), short: fc.boolean() }),
      { maxLength: 60 },
    ),
    image_url: anyUrl,
    thumb_url: anyUrl,
    footer: anyText(600),
    footer_icon: anyUrl,
    ts: fc.oneof(fc.integer(), anyText(200)),
  },
  { requiredKeys: [] },
);
const payload = fc.record(
  {
    text: anyText(45_000),
    username: anyText(100),
    icon_url: anyUrl,
    icon_emoji: fc.oneof(fc.constant(":tada:"), anyText(80)),
    mrkdwn: fc.boolean(),
    attachments: fc.array(attachment, { maxLength: 22 }),
    blocks: fc.array(
      fc.record({
        type: fc.constantFrom("section", "header", "context", "divider", "image", "x"),
        text: fc.record({ type: fc.constantFrom("mrkdwn", "plain_text"), text: anyText(3000) }),
      }),
      { maxLength: 55 },
    ),
    channel: anyText(50),
  },
  { requiredKeys: [] },
);

const isSafeLink = (v: unknown) =>
  v === undefined || (typeof v === "string" && /^https?:\/\//.test(v) && v.length <= 2000);

describe("incoming webhook payloads of any shape and size", () => {
  it("answer 4xx or post a message whose links are http(s) and fit", async () => {
    // Each hook has its own rate budget (120 a minute): a fresh one per batch of runs.
    let hookUrl = await newHook();
    let used = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        if (++used % 100 === 0) hookUrl = await newHook();
        const r = await fetch(hookUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(p),
        });
        const body = await r.text();
        expect(r.status, body).toBeLessThan(500);
        if (r.status !== 200) {
          expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
          return;
        }
        const last = await owner.get<{ items: ChatMessage[] }>(`/api/chat/rooms/${roomId}/messages?limit=1`);
        const m = last.body.items.at(-1)!;
        expect(m.text.length).toBeLessThanOrEqual(40_000);
        for (const a of m.attachments ?? []) {
          expect(isSafeLink(a.title_link)).toBe(true);
          expect(isSafeLink(a.author_link)).toBe(true);
          for (const f of ["image_url", "thumb_url", "author_icon", "footer_icon"] as const)
            expect(a[f] === undefined || (a[f].startsWith("/") && a[f].length <= 2000)).toBe(true);
        }
      }),
      { numRuns: 120 },
    );
  });

  it("keeps a long link and a long image out instead of failing (the reported 500s)", async () => {
    const hookUrl = await newHook();
    const long = `https://example.org/${"a".repeat(2100)}`;
    const nearly = `https://example.org/${"%C3%A9".repeat(320)}`;
    const r = await fetch(hookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        text: "liens",
        attachments: [
          { title: "t", title_link: long, author_link: "javascript:alert(1)", image_url: nearly, thumb_url: long },
        ],
      }),
    });
    expect(r.status).toBe(200);
    const last = await owner.get<{ items: ChatMessage[] }>(`/api/chat/rooms/${roomId}/messages?limit=1`);
    expect(last.body.items.at(-1)!.attachments).toEqual([{ title: "t" }]);
  });
});
