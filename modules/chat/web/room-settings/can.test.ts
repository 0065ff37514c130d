import { describe, expect, it } from "vitest";
import type { RoomRole } from "../../shared/capabilities.ts";
import type { Room } from "../../shared/schemas.ts";
import type { ChatUser } from "../host.tsx";
import { roomCan, type RoomAction } from "./can.ts";

function room(role: RoomRole | null, extra: Partial<Room> = {}): Room {
  return {
    id: "01a00000-0000-7000-8000-000000000001",
    type: "channel",
    slug: "projet",
    name: "projet",
    topic: "",
    description: "",
    announcement: false,
    isDefault: false,
    archivedAt: null,
    createdBy: null,
    createdAt: "2026-11-28T10:00:00.000Z",
    lastMessageAt: null,
    memberCount: 3,
    settings: { membersCanMentionAll: false, membersCanInvite: true },
    avatarUrl: null,
    membership: role
      ? { role, favourite: false, muted: false, hidden: false, lastReadSeq: 0, unread: 0, mentions: 0 }
      : null,
    ...extra,
  };
}
const person = (role: "admin" | "member" | "guest"): ChatUser => ({ id: "u1", username: "u", displayName: "U", role });
const actions: RoomAction[] = ["manage", "archive", "invite", "remove_member", "moderate", "leave"];
const allowed = (r: Room, me: ChatUser) => actions.filter((a) => roomCan(r, me, a));

/** What the UI offers must follow server/policies.ts (the server still decides; these are the same rules). */
describe("room actions offered in the UI", () => {
  it("by room role in an open channel", () => {
    expect(allowed(room("owner"), person("member"))).toEqual(actions);
    expect(allowed(room("moderator"), person("member"))).toEqual(["invite", "remove_member", "moderate", "leave"]);
    expect(allowed(room("member"), person("member"))).toEqual(["invite", "leave"]);
    expect(
      allowed(room("member", { settings: { membersCanMentionAll: false, membersCanInvite: false } }), person("member")),
    ).toEqual(["leave"]);
    // A guest member never invites, whatever the room allows.
    expect(allowed(room("member"), person("guest"))).toEqual(["leave"]);
  });

  it("organisation administrators supervise public channels, not private groups", () => {
    expect(allowed(room("member"), person("admin"))).toEqual(actions);
    expect(allowed(room(null), person("admin"))).toEqual(["manage", "archive", "remove_member", "moderate"]);
    expect(allowed(room("member", { type: "private" }), person("admin"))).toEqual(["invite", "leave"]);
  });

  it("archived, default and direct rooms", () => {
    const archived = room("owner", { archivedAt: "2026-11-28T11:00:00.000Z" });
    expect(allowed(archived, person("member"))).toEqual(["archive", "remove_member", "leave"]);
    expect(allowed(room("owner", { isDefault: true }), person("member"))).toEqual([
      "manage",
      "invite",
      "remove_member",
      "moderate",
    ]);
    const dm = room("member", {
      type: "dm",
      slug: null,
      participants: [
        { id: "u1", username: "u", displayName: "U" },
        { id: "u2", username: "v", displayName: "V" },
      ],
    });
    expect(allowed(dm, person("member"))).toEqual([]);
  });
});
