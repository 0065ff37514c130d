import sharp from "sharp";
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

/**
 * Integrations, files and moderation × actor through the real API, in a
 * public channel and a private group. Actors: anonymous, guest / member /
 * admin of the organisation who are not in the room, the room's owner, a
 * moderator, a plain member (author of the message and the file) and a guest
 * member.
 */
type Extra = "moderator" | "roomMember" | "guestMember";
interface Fixture {
  actors: Record<"owner" | Extra, TestClient>;
  roomId: string;
  messageId: string;
  fileId: string;
  roomMemberId: string;
}

let s: TestServer;
let png: Buffer;
beforeAll(async () => {
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#336699" } })
    .png()
    .toBuffer();
  s = await startTestServer();
});
afterAll(() => s?.close());

type Kind = "channel" | "private";

async function ok<T>(p: Promise<{ status: number; body: T; text: string }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
}

function setup(kind: Kind) {
  return async (ctx: MatrixContext): Promise<Fixture> => {
    const [owner, moderator, roomMember, guestMember] = await Promise.all([
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser("guest"),
    ]);
    const room = await ok(
      owner.client.post<Room>("/api/chat/rooms", {
        type: kind,
        slug: `x-${Math.random().toString(36).slice(2, 12)}`,
        memberIds: [moderator.id, roomMember.id, guestMember.id],
      }),
      "create room",
    );
    await ok(
      owner.client.patch(`/api/chat/rooms/${room.id}/members/${moderator.id}`, { role: "moderator" }),
      "set moderator",
    );
    const up = await ok(
      roomMember.client.request<{ attachment: { file: { id: string } } }>(
        "POST",
        `/api/chat/rooms/${room.id}/files?name=a.png`,
        undefined,
        { raw: png, headers: { "content-type": "image/png" } },
      ),
      "upload",
    );
    const message = await ok(
      roomMember.client.post<ChatMessage>(`/api/chat/rooms/${room.id}/messages`, {
        clientKey: `k${Math.random()}`,
        text: "hello",
        attachments: [up.attachment],
      }),
      "send",
    );
    return {
      actors: {
        owner: owner.client,
        moderator: moderator.client,
        roomMember: roomMember.client,
        guestMember: guestMember.client,
      },
      roomId: room.id,
      messageId: message.id,
      fileId: up.attachment.file.id,
      roomMemberId: roomMember.id,
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

type Row = MatrixRow<Fixture, Extra>;
const req = {
  incomingCreate: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/incoming-webhooks`,
    body: { name: "hook" },
  }),
  incomingList: (f: Fixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/incoming-webhooks` }),
  outgoingCreate: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/outgoing-webhooks`,
    body: { name: "out", url: "https://example.org/hook" },
  }),
  outgoingList: (f: Fixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/outgoing-webhooks` }),
  reportsList: (f: Fixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/reports` }),
  mute: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/mutes`,
    body: { userId: f.roomMemberId },
  }),
  mutesList: (f: Fixture) => ({ method: "GET" as const, path: `/api/chat/rooms/${f.roomId}/mutes` }),
  report: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/messages/${f.messageId}/reports`,
    body: { reason: "spam" },
  }),
  upload: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/files?name=b.txt`,
    body: { any: "bytes" },
  }),
  fileRead: (f: Fixture) => ({ method: "GET" as const, path: `/api/chat/files/${f.fileId}` }),
  thumbnail: (f: Fixture) => ({ method: "GET" as const, path: `/api/chat/files/${f.fileId}/thumbnail` }),
  commandMe: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/commands`,
    body: { command: "/me", text: "waves" },
  }),
  commandCall: (f: Fixture) => ({
    method: "POST" as const,
    path: `/api/chat/rooms/${f.roomId}/commands`,
    body: { command: "/call" },
  }),
  previewRemove: (f: Fixture) => ({ method: "DELETE" as const, path: `/api/chat/messages/${f.messageId}/preview` }),
  retention: (f: Fixture) => ({
    method: "PUT" as const,
    path: `/api/chat/rooms/${f.roomId}/retention`,
    body: { days: 30 },
  }),
  botCreate: () => ({
    method: "POST" as const,
    path: "/api/chat/bots",
    body: { username: `bot-${Math.random().toString(36).slice(2, 10)}`, displayName: "Bot" },
  }),
  commandDefine: () => ({
    method: "POST" as const,
    path: "/api/chat/commands",
    body: { command: `/c${Math.random().toString(36).slice(2, 10)}`, url: "https://example.org/cmd" },
  }),
};
const row = (action: keyof typeof req, expect: Expect): Row => ({ action, request: req[action], expect });

const specs: Record<Kind, Row[]> = {
  channel: [
    row("incomingCreate", e(U, H, D, A, A, D, D, D)),
    row("incomingList", e(U, H, D, A, A, D, D, D)),
    row("outgoingCreate", e(U, H, D, A, A, D, D, D)),
    row("outgoingList", e(U, H, D, A, A, D, D, D)),
    row("reportsList", e(U, H, D, A, A, A, D, D)),
    row("mute", e(U, H, D, A, A, A, D, D)),
    row("mutesList", e(U, H, D, A, A, A, D, D)),
    row("report", e(U, H, D, A, D, A, A, A)),
    row("upload", e(U, H, D, A, D, A, A, A)),
    row("fileRead", e(U, H, A, A, A, A, A, A)),
    row("thumbnail", e(U, H, A, A, A, A, A, A)),
    row("commandMe", e(U, H, D, A, D, A, A, A)),
    // A call posts in the room (and starts a meeting): those who may post, like /me.
    row("commandCall", e(U, H, D, A, D, A, A, A)),
    row("previewRemove", e(U, H, D, A, A, A, A, D)),
    row("retention", e(U, D, D, D, A, D, D, D)),
    row("botCreate", e(U, D, D, D, A, D, D, D)),
    row("commandDefine", e(U, D, D, D, A, D, D, D)),
  ],
  private: [
    row("incomingCreate", e(U, H, H, A, H, D, D, D)),
    row("incomingList", e(U, H, H, A, H, D, D, D)),
    row("outgoingCreate", e(U, H, H, A, H, D, D, D)),
    row("outgoingList", e(U, H, H, A, H, D, D, D)),
    row("reportsList", e(U, H, H, A, H, A, D, D)),
    row("mute", e(U, H, H, A, H, A, D, D)),
    row("mutesList", e(U, H, H, A, H, A, D, D)),
    row("report", e(U, H, H, A, H, A, A, A)),
    row("upload", e(U, H, H, A, H, A, A, A)),
    row("fileRead", e(U, H, H, A, H, A, A, A)),
    row("thumbnail", e(U, H, H, A, H, A, A, A)),
    row("commandMe", e(U, H, H, A, H, A, A, A)),
    row("commandCall", e(U, H, H, A, H, A, A, A)),
    row("previewRemove", e(U, H, H, A, H, A, A, D)),
    // Administrators set retention for any room, private groups included, without reading them.
    row("retention", e(U, D, D, D, A, D, D, D)),
  ],
};

describe("chat integrations, files and moderation: authorization matrix", () => {
  for (const kind of ["channel", "private"] as const) {
    it(`${kind}`, async () => {
      await runMatrix(s, {
        resource: `chat ${kind} (extras)`,
        extraActors: ["moderator", "roomMember", "guestMember"],
        setup: setup(kind),
        rows: specs[kind],
      });
    }, 180_000);
  }
});
