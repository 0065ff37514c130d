import type { Actor, Kernel, UserActor } from "@ensemble/kernel";
import type { RoomCapabilitySetting, RoomRole } from "../shared/capabilities.ts";
import type { PublicRoom } from "../shared/schemas.ts";
import type { Room } from "../shared/schemas.ts";
import { ChatRoomResource, type RoomRecord } from "./resources.ts";
import type { ChatDb, ChatMembersTable, ChatRoomsTable } from "./tables.ts";
import { type ChatMutesTable } from "./moderation/moderation-tables.ts";

export type RoomSettings = Record<RoomCapabilitySetting, boolean>;

export function roomSettings(r: Pick<ChatRoomsTable, "settings">): RoomSettings {
  const raw = JSON.parse(r.settings || "{}") as Partial<RoomSettings>;
  return { membersCanMentionAll: raw.membersCanMentionAll === true, membersCanInvite: raw.membersCanInvite !== false };
}

const viewerId = (actor: Actor) => (actor.kind === "user" ? actor.id : null);

/** A room with the viewer's role, or undefined. */
export async function loadRoom(db: ChatDb, id: string, actor: Actor): Promise<RoomRecord | undefined> {
  const userId = viewerId(actor);
  if (!userId) {
    const row = await db.selectFrom("chat_rooms").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? { ...normalizeRoom(row), viewerRole: null, viewerMute: null } : undefined;
  }
  // The room, the viewer's membership and mute in one statement (every send and read starts here).
  const row = await roomsWithViewer(db, userId).where("chat_rooms.id", "=", id).executeTakeFirst();
  return row ? roomRecord(row) : undefined;
}

/** Rooms with the viewer's role and mute in each (left joins: null when not a member, not muted). */
export function roomsWithViewer(db: ChatDb, userId: string) {
  return db
    .withTables<{ chat_mutes: ChatMutesTable }>()
    .selectFrom("chat_rooms")
    .leftJoin("chat_members as vm", (j) => j.onRef("vm.room_id", "=", "chat_rooms.id").on("vm.user_id", "=", userId))
    .leftJoin("chat_mutes as vmu", (j) => j.onRef("vmu.room_id", "=", "chat_rooms.id").on("vmu.user_id", "=", userId))
    .selectAll("chat_rooms")
    .select(["vm.role as viewer_role", "vmu.user_id as muted_id", "vmu.until as muted_until"]);
}

/** A row of `roomsWithViewer` as the policy sees it. */
export function roomRecord(
  row: ChatRoomsTable & { viewer_role: RoomRole | null; muted_id: string | null; muted_until: string | null },
): RoomRecord {
  const { viewer_role, muted_id, muted_until, ...room } = row;
  return { ...normalizeRoom(room), viewerRole: viewer_role ?? null, viewerMute: viewerMute(muted_id, muted_until) };
}

/** The viewer's mute from a left join on `chat_mutes` (no row: not muted). */
export const viewerMute = (mutedId: string | null | undefined, until: string | null | undefined) =>
  mutedId ? { until: until ?? null } : null;

/** A mute in force now (one whose end has passed no longer counts, though its row stays). */
export const mutedNow = (r: Pick<RoomRecord, "viewerMute">): boolean =>
  r.viewerMute !== null && (r.viewerMute.until === null || r.viewerMute.until > new Date().toISOString());

export async function loadRoomBySlug(db: ChatDb, slug: string, actor: Actor): Promise<RoomRecord | undefined> {
  const row = await db.selectFrom("chat_rooms").select("id").where("slug", "=", slug.toLowerCase()).executeTakeFirst();
  return row ? loadRoom(db, row.id, actor) : undefined;
}

export async function roleOf(db: ChatDb, roomId: string, userId: string | null): Promise<RoomRecord["viewerRole"]> {
  if (!userId) return null;
  const m = await db
    .selectFrom("chat_members")
    .select("role")
    .where("room_id", "=", roomId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return m?.role ?? null;
}

/** PostgreSQL hands bigint columns back as strings. */
export function normalizeRoom<T extends ChatRoomsTable>(r: T): T {
  return { ...r, last_seq: Number(r.last_seq), announcement: Number(r.announcement), is_default: Number(r.is_default) };
}

export async function memberCount(db: ChatDb, roomId: string): Promise<number> {
  const r = await db
    .selectFrom("chat_members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("room_id", "=", roomId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface Participant {
  id: string;
  username: string;
  displayName: string;
}

export async function participantsOf(db: ChatDb, roomId: string): Promise<Participant[]> {
  const rows = await db
    .selectFrom("chat_members")
    .innerJoin("users", "users.id", "chat_members.user_id")
    .select(["users.id", "users.username", "users.display_name"])
    .where("chat_members.room_id", "=", roomId)
    .orderBy("users.display_name")
    .limit(8)
    .execute();
  return rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name }));
}

/** Versioned by the blob key (new on every upload), so a changed avatar is fetched again despite caching. */
export function roomAvatarUrl(r: Pick<ChatRoomsTable, "id" | "avatar_key">): string | null {
  return r.avatar_key
    ? `/api/chat/rooms/${r.id}/avatar?v=${encodeURIComponent(r.avatar_key.slice(r.avatar_key.lastIndexOf("/") + 1))}`
    : null;
}

/** The room without any viewer-specific part: what events carry. */
export function presentPublicRoom(r: ChatRoomsTable, count: number, participants?: Participant[]): PublicRoom {
  return {
    id: r.id,
    type: r.type,
    slug: r.slug,
    name: r.name,
    topic: r.topic,
    description: r.description,
    announcement: Number(r.announcement) === 1,
    isDefault: Number(r.is_default) === 1,
    archivedAt: r.archived_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastMessageAt: r.last_message_at,
    memberCount: count,
    settings: roomSettings(r),
    avatarUrl: roomAvatarUrl(r),
    ...(participants ? { participants } : {}),
  };
}

export interface MembershipState {
  member: Pick<ChatMembersTable, "role" | "favourite" | "muted" | "hidden" | "last_read_seq"> | null;
  unread: number;
  mentions: number;
}

export function presentRoom(
  r: ChatRoomsTable,
  count: number,
  state: MembershipState,
  participants?: Participant[],
): Omit<Room, "actions"> {
  const m = state.member;
  return {
    ...presentPublicRoom(r, count, participants),
    membership: m
      ? {
          role: m.role,
          favourite: Number(m.favourite) === 1,
          muted: Number(m.muted) === 1,
          hidden: Number(m.hidden) === 1,
          lastReadSeq: Number(m.last_read_seq),
          unread: state.unread,
          mentions: state.mentions,
        }
      : null,
  };
}

/** Whether this person (not the viewer) moderates the room with this room role: peers cannot mute them. */
export async function moderatesRoom(
  k: Pick<Kernel, "policy">,
  user: Pick<UserActor, "id" | "username" | "role">,
  room: RoomRecord,
  role: RoomRole,
): Promise<boolean> {
  const asTarget: UserActor = { kind: "user", ...user, scopes: null, sessionId: null, tokenId: null };
  return k.policy.can(asTarget, ChatRoomResource, "moderate", { ...room, viewerRole: role, viewerMute: null });
}
