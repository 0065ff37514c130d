import { afterAll, beforeAll, describe, it } from "vitest";
import {
  runMatrix,
  startTestServer,
  type MatrixContext,
  type MatrixRow,
  type Outcome,
  type TestClient,
  type TestServer,
} from "@ensemble/testkit";
import type { ChatMessage, Room } from "../../shared/schemas.ts";
import { clientKey } from "./chat-fixtures.ts";

/**
 * Every chat resource × actor × action through the real API. Actors:
 * anonymous, guest / member / admin of the organisation who are not in the
 * room, the room's owner, a moderator, a plain member and a guest member.
 */
type Extra = "moderator" | "roomMember" | "guestMember";
interface RoomFixture {
  actors: Record<"owner" | Extra, TestClient>;
  roomId: string;
  messageId: string;
  targetId: string;
}

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

type Kind = "channel" | "private" | "announcement" | "archived" | "dm";

async function ok<T>(p: Promise<{ status: number; body: T; text: string }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
}

function setup(kind: Kind) {
  return async (ctx: MatrixContext): Promise<RoomFixture> => {
    const [owner, moderator, roomMember, guestMember, target] = await Promise.all([
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser("guest"),
      ctx.newUser(),
    ]);
    let room: Room;
    if (kind === "dm") {
      room = await ok(
        owner.client.post<Room>("/api/chat/direct", { userIds: [roomMember.id, guestMember.id] }),
        "open dm",
      );
    } else {
      room = await ok(
        owner.client.post<Room>("/api/chat/rooms", {
          type: kind === "private" ? "private" : "channel",
          slug: `m-${Math.random().toString(36).slice(2, 12)}`,
          announcement: kind === "announcement",
          memberIds: [moderator.id, roomMember.id, guestMember.id],
        }),
        "create room",
      );
      await ok(
        owner.client.patch(`/api/chat/rooms/${room.id}/members/${moderator.id}`, { role: "moderator" }),
        "set moderator",
      );
    }
    // In an announcement channel only the moderator's message can exist; elsewhere the plain member is the author.
    const author = kind === "announcement" ? moderator : roomMember;
    const message = await ok(
      author.client.post<ChatMessage>(`/api/chat/rooms/${room.id}/messages`, { clientKey: clientKey(), text: "hello" }),
      "send",
    );
    if (kind === "archived") await ok(owner.client.post(`/api/chat/rooms/${room.id}/archive`), "archive");
    return {
      actors: {
        owner: owner.client,
        moderator: moderator.client,
        roomMember: roomMember.client,
        guestMember: guestMember.client,
      },
      roomId: room.id,
      messageId: message.id,
      targetId: target.id,
    };
  };
}

type Expect = Record<"anonymous" | "guest" | "member" | "owner" | "admin" | Extra, Outcome>;
const A: Outcome = "allow";
const H: Outcome = "hidden";
const D: Outcome = "deny";
const U: Outcome = "auth";
/** Columns: anonymous, guest, member, owner, admin, moderator, roomMember, guestMember. */
const e = (...o: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]): Expect => ({
  anonymous: o[0],
  guest: o[1],
  member: o[2],
  owner: o[3],
  admin: o[4],
  moderator: o[5],
  roomMember: o[6],
  guestMember: o[7],
});

type Row = MatrixRow<RoomFixture, Extra>;
const req = {
  read: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/messages` }),
  post: (f: RoomFixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/messages`,
    body: { clientKey: clientKey(), text: "hi" },
  }),
  edit: (f: RoomFixture) => ({
    method: "PATCH" as const,
    path: `/api/chat/messages/${f.messageId}`,
    body: { text: "changed" },
  }),
  delete: (f: RoomFixture) => ({ method: "DELETE" as const, path: `/api/chat/messages/${f.messageId}` }),
  invite: (f: RoomFixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/members`,
    body: { userIds: [f.targetId] },
  }),
  pin: (f: RoomFixture) => ({ method: "PUT" as const, path: `/api/chat/messages/${f.messageId}/pin` }),
  react: (f: RoomFixture) => ({
    method: "POST" as const,
    path: `/api/chat/messages/${f.messageId}/reactions`,
    body: { emoji: ":thumbsup:" },
  }),
  manage: (f: RoomFixture) => ({
    method: "PATCH" as const,
    path: `/api/chat/rooms/${f.roomId}`,
    body: { topic: "new topic" },
  }),
  join: (f: RoomFixture) => ({ method: "POST" as const, path: `/api/chat/rooms/${f.roomId}/join` }),
  room: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}` }),
  permalink: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/messages/${f.messageId}` }),
  thread: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/messages/${f.messageId}/thread` }),
  pins: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/pins` }),
  members: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/members` }),
  reactions: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/messages/${f.messageId}/reactions` }),
  edits: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/messages/${f.messageId}/edits` }),
  threads: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/threads` }),
  draft: (f: RoomFixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/draft` }),
  save: (f: RoomFixture) => ({ method: "PUT" as const, path: `/api/chat/messages/${f.messageId}/save` }),
  remove: (f: RoomFixture) => ({ method: "POST" as const, path: `/api/chat/rooms/${f.roomId}/archive` }),
  // Removing the room picture takes "manage", like setting it (the PUT with an image body is in room-avatars.test.ts).
  avatar: (f: RoomFixture) => ({ method: "DELETE" as const, path: `/api/chat/rooms/${f.roomId}/avatar` }),
};
const row = (action: keyof typeof req, expect: Expect): Row => ({ action, request: req[action], expect });

/** Reading routes: everything that could show a room's content. */
const readRoutes = (expect: Expect): Row[] =>
  (
    [
      "read",
      "room",
      "permalink",
      "thread",
      "pins",
      "members",
      "reactions",
      "edits",
      "threads",
      "draft",
      "save",
    ] as const
  ).map((a) => row(a, expect));

const specs: Record<Kind, Row[]> = {
  channel: [
    ...readRoutes(e(U, H, A, A, A, A, A, A)),
    row("post", e(U, H, D, A, D, A, A, A)),
    row("edit", e(U, H, D, D, D, D, A, D)),
    row("delete", e(U, H, D, A, A, A, A, D)),
    row("invite", e(U, H, D, A, D, A, A, D)),
    row("pin", e(U, H, D, A, D, A, A, A)),
    row("react", e(U, H, D, A, D, A, A, A)),
    row("manage", e(U, H, D, A, A, D, D, D)),
    row("avatar", e(U, H, D, A, A, D, D, D)),
    row("join", e(U, H, A, D, A, D, D, D)),
  ],
  private: [
    ...readRoutes(e(U, H, H, A, H, A, A, A)),
    row("post", e(U, H, H, A, H, A, A, A)),
    row("edit", e(U, H, H, D, H, D, A, D)),
    row("delete", e(U, H, H, A, H, A, A, D)),
    row("invite", e(U, H, H, A, H, A, A, D)),
    row("pin", e(U, H, H, A, H, A, A, A)),
    row("react", e(U, H, H, A, H, A, A, A)),
    row("manage", e(U, H, H, A, H, D, D, D)),
    row("avatar", e(U, H, H, A, H, D, D, D)),
    row("join", e(U, H, H, D, H, D, D, D)),
  ],
  announcement: [
    row("read", e(U, H, A, A, A, A, A, A)),
    row("post", e(U, H, D, A, D, A, D, D)),
    row("react", e(U, H, D, A, D, A, A, A)),
    // The message is the moderator's here: nobody else edits it.
    row("edit", e(U, H, D, D, D, A, D, D)),
  ],
  archived: [
    row("read", e(U, H, A, A, A, A, A, A)),
    row("permalink", e(U, H, A, A, A, A, A, A)),
    row("post", e(U, H, D, D, D, D, D, D)),
    row("edit", e(U, H, D, D, D, D, D, D)),
    row("delete", e(U, H, D, D, D, D, D, D)),
    row("invite", e(U, H, D, D, D, D, D, D)),
    row("pin", e(U, H, D, D, D, D, D, D)),
    row("react", e(U, H, D, D, D, D, D, D)),
    row("manage", e(U, H, D, D, D, D, D, D)),
    row("avatar", e(U, H, D, D, D, D, D, D)),
    row("join", e(U, H, D, D, D, D, D, D)),
  ],
  // A group DM of the owner, the plain member and the guest member; the "moderator" is not in it.
  dm: [
    ...readRoutes(e(U, H, H, A, H, H, A, A)),
    row("post", e(U, H, H, A, H, H, A, A)),
    row("edit", e(U, H, H, D, H, H, A, D)),
    row("delete", e(U, H, H, D, H, H, A, D)),
    row("invite", e(U, H, H, D, H, H, D, D)),
    row("pin", e(U, H, H, A, H, H, A, A)),
    row("react", e(U, H, H, A, H, H, A, A)),
    row("manage", e(U, H, H, D, H, H, D, D)),
    row("avatar", e(U, H, H, D, H, H, D, D)),
    row("remove", e(U, H, H, D, H, H, D, D)),
  ],
};

describe("chat authorization matrix", () => {
  for (const kind of Object.keys(specs) as Kind[]) {
    it(`${kind} rooms and their messages`, { timeout: 240_000 }, async () => {
      await runMatrix<RoomFixture, Extra>(s, {
        resource: `chat ${kind}`,
        extraActors: ["moderator", "roomMember", "guestMember"],
        setup: setup(kind),
        rows: specs[kind],
      });
    });
  }
});
