import { orgResource, resourceKind } from "@ensemble/kernel";
import { chatMessageActions, chatRoomActions, ChatResourceTypes } from "../shared/resources.ts";
import type { RoomRole } from "../shared/capabilities.ts";
import type { ChatMessagesTable, ChatRoomsTable } from "./tables.ts";

/**
 * A room as the policy sees it: the row plus the viewer's role in it (null when not a member) and the
 * viewer's mute in it (null when none; `until` null for a mute without end), a state the policy decides on.
 */
export type RoomRecord = ChatRoomsTable & { viewerRole: RoomRole | null; viewerMute: { until: string | null } | null };

/** A message as the policy sees it: the row, its room, and until when its author may still change it. */
export type MessageRecord = ChatMessagesTable & { room: RoomRecord; authorWindowUntil: string | null };

export const ChatRoomResource = resourceKind<RoomRecord>()(ChatResourceTypes.room, chatRoomActions);
export const ChatMessageResource = resourceKind<MessageRecord>()(ChatResourceTypes.message, chatMessageActions);

/** Chat in the organisation: what a person may create or administer there (reported on `/api/me` as `chat.<action>`). */
export const ChatOrgResource = orgResource("chat", [
  "create_channel",
  "create_private",
  "open_direct",
  "browse_public",
  "join_public",
  "administer",
] as const);
