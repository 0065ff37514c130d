import { expressionBuilder } from "kysely";
import { AppError, isUser, noRows, type Actor, type Kernel, type KernelTables } from "@ensemble/kernel";
import { canInOrg, canInRoom, OrgChatCapability, RoomCapability } from "../shared/capabilities.ts";
import {
  ChatMessageResource,
  ChatOrgResource,
  ChatRoomResource,
  type MessageRecord,
  type RoomRecord,
} from "./resources.ts";
import { mutedNow, roomSettings } from "./rooms.ts";
import type { ChatTables } from "./tables.ts";

const org = (a: Actor, cap: OrgChatCapability) => isUser(a) && canInOrg(a.role, cap);
const isMember = (r: RoomRecord) => r.viewerRole !== null;
const open = (r: RoomRecord) => r.archived_at === null;
/** Organisation administrators supervise public channels, never private groups or DMs (they stay private). */
const supervises = (a: Actor, r: RoomRecord) => r.type === "channel" && org(a, OrgChatCapability.superviseChannels);
const has = (r: RoomRecord, cap: RoomCapability) => canInRoom(r.viewerRole, cap, roomSettings(r));
const eb = expressionBuilder<KernelTables & ChatTables>();
const isAuthor = (a: Actor, m: MessageRecord) => isUser(a) && m.author_id === a.id;
const inWindow = (m: MessageRecord) => m.authorWindowUntil === null || new Date().toISOString() < m.authorWindowUntil;

const orgActions = {
  create_channel: OrgChatCapability.createChannel,
  create_private: OrgChatCapability.createPrivate,
  open_direct: OrgChatCapability.openDirect,
  browse_public: OrgChatCapability.browsePublic,
  join_public: OrgChatCapability.joinPublic,
  administer: OrgChatCapability.administer,
} as const;

/**
 * Who may do what in chat. Members read their rooms; public channels are also
 * readable (Slack-like, without joining) by anyone who may browse them, which
 * excludes guests. Room capabilities come from the room role table.
 */
export function chatPolicies(k: Kernel): void {
  const p = k.policy;
  p.organisation(ChatOrgResource);
  p.allow(ChatOrgResource, "read", (a) => isUser(a));
  for (const [action, cap] of Object.entries(orgActions) as [keyof typeof orgActions, OrgChatCapability][])
    p.allow(ChatOrgResource, action, (a) => org(a, cap));
  p.allow(
    ChatRoomResource,
    "read",
    (a, r) => isUser(a) && (isMember(r) || (r.type === "channel" && org(a, OrgChatCapability.browsePublic))),
  );
  // The same rule as SQL, for every list and search of rooms (one statement, no per-row check).
  p.visibility(ChatRoomResource, (a, ref) => {
    if (!isUser(a)) return noRows;
    const member = eb(ref("id"), "in", eb.selectFrom("chat_members").select("room_id").where("user_id", "=", a.id));
    return org(a, OrgChatCapability.browsePublic) ? eb.or([member, eb(ref("type"), "=", "channel")]) : member;
  });
  p.allow(
    ChatRoomResource,
    "join",
    (a, r) => r.type === "channel" && !isMember(r) && open(r) && org(a, OrgChatCapability.joinPublic),
  );
  p.allow(
    ChatRoomResource,
    "post",
    (_a, r) => open(r) && has(r, r.announcement ? RoomCapability.postAnnouncement : RoomCapability.post),
  );
  p.allow(ChatRoomResource, "react", (_a, r) => open(r) && has(r, RoomCapability.react));
  // A call is a message in the room and a meeting: posters may start one where the kernel has a meetings service.
  p.allow(
    ChatRoomResource,
    "call",
    (a, r) =>
      isUser(a) &&
      k.calls.available &&
      open(r) &&
      has(r, r.announcement ? RoomCapability.postAnnouncement : RoomCapability.post),
  );
  // A muted member reads but neither posts nor reacts, by whatever path (send, upload, forward, slash commands).
  p.refuse(ChatRoomResource, ["post", "react", "call"], (_a, r) =>
    mutedNow(r)
      ? new AppError(
          "chat_muted",
          r.viewerMute?.until
            ? `a moderator muted you in this room until ${r.viewerMute.until}`
            : "a moderator muted you in this room",
        )
      : null,
  );
  p.allow(ChatRoomResource, "pin", (_a, r) => open(r) && has(r, RoomCapability.pin));
  p.allow(
    ChatRoomResource,
    "invite",
    (a, r) => r.type !== "dm" && open(r) && org(a, OrgChatCapability.inviteToRooms) && has(r, RoomCapability.invite),
  );
  p.allow(ChatRoomResource, "mention_all", (_a, r) => has(r, RoomCapability.mentionAll));
  p.allow(
    ChatRoomResource,
    "remove_member",
    (a, r) => r.type !== "dm" && (has(r, RoomCapability.removeMember) || supervises(a, r)),
  );
  p.allow(
    ChatRoomResource,
    "manage",
    (a, r) => r.type !== "dm" && open(r) && (has(r, RoomCapability.manage) || supervises(a, r)),
  );
  p.allow(
    ChatRoomResource,
    "archive",
    (a, r) => r.type !== "dm" && r.is_default === 0 && (has(r, RoomCapability.archive) || supervises(a, r)),
  );
  // Everyone stays in the default channel; a two-person conversation is hidden, not left.
  p.allow(
    ChatRoomResource,
    "leave",
    (_a, r) => isMember(r) && r.is_default === 0 && !(r.type === "dm" && (r.dm_key ?? "").split(",").length <= 2),
  );
  p.allow(ChatRoomResource, "moderate", (a, r) => open(r) && (has(r, RoomCapability.moderate) || supervises(a, r)));

  const room = (a: Actor, m: MessageRecord, action: "read" | "react" | "pin" | "moderate" | "post") =>
    p.can(a, ChatRoomResource, action, m.room);
  p.allow(ChatMessageResource, "read", (a, m) => room(a, m, "read"));
  // A message is seen wherever its room is: the room's visibility, on the message's room.
  p.visibility(ChatMessageResource, (a, ref) =>
    eb(
      ref("room_id"),
      "in",
      eb.selectFrom("chat_rooms as vr").select("vr.id").where(p.scope(ChatRoomResource, a)("vr")),
    ),
  );
  // Authors edit within the window; moderators their own messages at any time. Nobody edits someone else's words.
  p.allow(
    ChatMessageResource,
    "edit",
    async (a, m) =>
      m.deleted_at === null && open(m.room) && isAuthor(a, m) && (inWindow(m) || (await room(a, m, "moderate"))),
  );
  p.allow(
    ChatMessageResource,
    "delete",
    async (a, m) =>
      m.deleted_at === null && ((isAuthor(a, m) && open(m.room) && inWindow(m)) || (await room(a, m, "moderate"))),
  );
  p.allow(ChatMessageResource, "pin", (a, m) => m.deleted_at === null && room(a, m, "pin"));
  p.allow(ChatMessageResource, "react", (a, m) => m.deleted_at === null && room(a, m, "react"));
}
