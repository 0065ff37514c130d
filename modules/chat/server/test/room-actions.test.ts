import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { RoomRole } from "../../shared/capabilities.ts";
import { ChatRoomResource, type RoomRecord } from "../resources.ts";

/**
 * The actions a room presents (`room.actions`) are the policy's answer; the
 * web offers exactly these. These were the web's own rules (room-settings/can.ts)
 * before it stopped re-deriving them: the same expectations, asked of the
 * running server's policy.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

function room(role: RoomRole | null, extra: Partial<RoomRecord> = {}): RoomRecord {
  return {
    id: "01a00000-0000-7000-8000-000000000001",
    type: "channel",
    slug: "projet",
    name: "projet",
    topic: "",
    description: "",
    announcement: 0,
    is_default: 0,
    dm_key: null,
    settings: JSON.stringify({ membersCanMentionAll: false, membersCanInvite: true }),
    archived_at: null,
    created_by: null,
    created_at: "2026-11-28T10:00:00.000Z",
    updated_at: "2026-11-28T10:00:00.000Z",
    last_seq: 0,
    last_message_at: null,
    viewerRole: role,
    viewerMute: null,
    ...extra,
  };
}
const person = (role: "admin" | "member" | "guest"): UserActor => ({
  kind: "user",
  id: "u1",
  username: "u",
  role,
  scopes: null,
  sessionId: null,
  tokenId: null,
});
const actions = ["manage", "archive", "invite", "remove_member", "moderate", "leave"] as const;
const allowed = async (r: RoomRecord, me: UserActor) => {
  const all = await server.kernel.policy.allowedActions(me, ChatRoomResource, r);
  return actions.filter((a) => all.includes(a));
};

describe("room actions presented to the viewer", () => {
  it("by room role in an open channel", async () => {
    expect(await allowed(room("owner"), person("member"))).toEqual(actions);
    expect(await allowed(room("moderator"), person("member"))).toEqual([
      "invite",
      "remove_member",
      "moderate",
      "leave",
    ]);
    expect(await allowed(room("member"), person("member"))).toEqual(["invite", "leave"]);
    const closed = JSON.stringify({ membersCanMentionAll: false, membersCanInvite: false });
    expect(await allowed(room("member", { settings: closed }), person("member"))).toEqual(["leave"]);
    // A guest member never invites, whatever the room allows.
    expect(await allowed(room("member"), person("guest"))).toEqual(["leave"]);
  });

  it("organisation administrators supervise public channels, not private groups", async () => {
    expect(await allowed(room("member"), person("admin"))).toEqual(actions);
    expect(await allowed(room(null), person("admin"))).toEqual(["manage", "archive", "remove_member", "moderate"]);
    expect(await allowed(room("member", { type: "private" }), person("admin"))).toEqual(["invite", "leave"]);
  });

  it("archived, default and direct rooms", async () => {
    const archived = room("owner", { archived_at: "2026-11-28T11:00:00.000Z" });
    expect(await allowed(archived, person("member"))).toEqual(["archive", "remove_member", "leave"]);
    expect(await allowed(room("owner", { is_default: 1 }), person("member"))).toEqual([
      "manage",
      "invite",
      "remove_member",
      "moderate",
    ]);
    const dm = room("member", { type: "dm", slug: null, dm_key: "u1,u2" });
    expect(await allowed(dm, person("member"))).toEqual([]);
  });

  it("a muted member neither posts nor reacts, and still reads", async () => {
    const muted = room("member", { viewerMute: { until: null } });
    const all = await server.kernel.policy.allowedActions(person("member"), ChatRoomResource, muted);
    expect(all).toContain("read");
    expect(all).not.toContain("post");
    expect(all).not.toContain("react");
    const ended = room("member", { viewerMute: { until: "2000-01-01T00:00:00.000Z" } });
    expect(await server.kernel.policy.allowedActions(person("member"), ChatRoomResource, ended)).toContain("post");
  });
});
