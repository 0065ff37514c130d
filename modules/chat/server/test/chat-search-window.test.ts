import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { Room } from "../../shared/schemas.ts";
import { parseSearch } from "../search.ts";
import { searchPostgresIds, type SearchPasses } from "../search-postgres.ts";
import { chatDb } from "../tables.ts";
import { ChatMessageResource } from "../resources.ts";
import { createRoom, send, user, type ChatUser } from "./chat-fixtures.ts";

/**
 * PostgreSQL search answers from the GIN index for a rare word, else from a
 * window of the newest rows, a second window and the GIN index again
 * (search-postgres.ts). With passes
 * of a few rows, every page size and pass size must give the same pages as
 * reading every message: newest first, only what the reader may read, filters kept.
 */
describe("chat search on PostgreSQL: window then index", () => {
  let s: TestServer;
  let alice: ChatUser;
  let bob: ChatUser;
  let eve: ChatUser;
  const word = `zorg${Math.random().toString(36).slice(2, 7)}`;
  const sent: { id: string; createdAt: string; room: Room; author: string; text: string }[] = [];
  /** Bob's room: Alice and Eve may not read it. */
  let secret: Room;

  beforeAll(async () => {
    s = await startTestServer({ database: "postgres" });
    [alice, bob, eve] = await Promise.all([user(s), user(s), user(s)]);
    const pub = await createRoom(alice.client, { memberIds: [bob.id] });
    const priv = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    secret = await createRoom(bob.client, { type: "private" });
    const plan: [ChatUser, Room, string][] = [
      [alice, pub, `${word} un`],
      [bob, priv, "rien à voir"],
      [bob, secret, `${word} secret`],
      [alice, priv, `${word}s deux`],
      [bob, pub, `lien ${word} https://example.org/x`],
      [alice, pub, "autre chose"],
      [bob, priv, `${word} trois`],
      [alice, pub, "encore rien"],
      [bob, pub, `${word} quatre`],
      [alice, priv, `fin ${word}`],
    ];
    for (const [u, room, text] of plan) {
      const m = await send(u.client, room.id, text);
      sent.push({ id: m.id, createdAt: m.createdAt, room, author: u.id, text });
    }
  });
  afterAll(() => s?.close());

  /** The index, the windows and the index again, each answering part of the pages. */
  const everyPass: SearchPasses[] = [
    // The index first (the planner's estimate under `few`), and it stands.
    { few: Infinity, cap: 100, window: 1, window2: 1 },
    // The index first but too many matches (over `cap`): the walks.
    { few: Infinity, cap: 1, window: 1, window2: 1 },
    { few: Infinity, cap: 2, window: 3, window2: 2 },
    // The walks, then the index for what is older.
    { few: 0, cap: 1, window: 1, window2: 1 },
    { few: 0, cap: 1, window: 2, window2: 2 },
    { few: 0, cap: 1, window: 5, window2: 1 },
    { few: 0, cap: 1, window: 50, window2: 100 },
  ];

  const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

  /** Every page of `q` for the reader, following the cursor. */
  async function allPages(reader: ChatUser, q: string, limit: number, passes: SearchPasses): Promise<string[]> {
    const out: string[] = [];
    let cursor: [string, string] | null = null;
    for (let page = 0; page < 20; page++) {
      const hits = await searchPostgresIds(
        chatDb(s.kernel),
        parseSearch(q),
        {
          readable: s.kernel.policy.scope(ChatMessageResource, {
            kind: "user",
            id: reader.id,
            username: reader.username,
            role: "member",
            scopes: null,
            sessionId: null,
            tokenId: null,
          })("s"),
          cursor,
        },
        limit,
        passes,
      );
      out.push(...hits.map((h) => h.id));
      const last = hits.at(-1);
      if (hits.length < limit || !last) return out;
      cursor = [last.created_at, last.id];
    }
    throw new Error("more pages than messages");
  }

  it("gives the same pages whatever the passes and page size", async () => {
    const expected = sent
      .filter((m) => m.room.id !== secret.id && m.text.includes(word))
      .sort(newestFirst)
      .map((m) => m.id);
    expect(expected).toHaveLength(6);
    for (const passes of everyPass) {
      for (const limit of [1, 2, 3, 21]) {
        expect(
          await allPages(alice, word.toUpperCase(), limit, passes),
          `${JSON.stringify(passes)}, limit ${limit}`,
        ).toEqual(expected);
      }
    }
  });

  it("keeps read access and the filters in every pass", async () => {
    // Eve is in no room: she reads the public channel only (browse).
    const pubOnly = sent
      .filter((m) => m.room.type === "channel" && m.text.includes(word))
      .sort(newestFirst)
      .map((m) => m.id);
    expect(pubOnly).toHaveLength(3);
    const fromBob = sent
      .filter((m) => m.author === bob.id && m.room.id !== secret.id && m.text.includes(word))
      .sort(newestFirst)
      .map((m) => m.id);
    expect(fromBob).toHaveLength(3);
    const withLink = sent.filter((m) => m.text.includes("https://") && m.text.includes(word)).map((m) => m.id);
    for (const passes of everyPass) {
      expect(await allPages(eve, word, 2, passes)).toEqual(pubOnly);
      expect(await allPages(alice, `from:@${bob.username} ${word}`, 2, passes)).toEqual(fromBob);
      expect(await allPages(alice, `has:link ${word}`, 2, passes)).toEqual(withLink);
      // Bob reads his own private room too.
      expect((await allPages(bob, `${word} secret`, 2, passes)).length).toBe(1);
    }
  });
});
