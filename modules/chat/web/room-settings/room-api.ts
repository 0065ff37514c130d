import { useMemo } from "react";
import type { RoomRole } from "../../shared/capabilities.ts";
import type { z } from "zod";
import type { Room, updateRoomBody } from "../../shared/schemas.ts";
import type { Invited, MemberPage, MemberRoleChanged, Person, PersonList } from "../../shared/room-wire.ts";
import type { MuteList, MuteSet } from "../../shared/moderation-wire.ts";
import type { ChatSettings } from "../../shared/settings.ts";
import { useHost, type ChatHost } from "../host.tsx";

export type RoomPatch = z.input<typeof updateRoomBody>;
export interface Group {
  id: string;
  name: string;
  memberCount?: number;
}

const enc = encodeURIComponent;

/** Room settings, members, mutes and "seen by": the calls of this folder. */
export function roomSettingsApi(h: ChatHost) {
  const get = <T>(p: string) => h.api<T>("GET", p);
  return {
    update: (id: string, patch: RoomPatch) => h.api<Room>("PATCH", `/api/chat/rooms/${id}`, patch),
    /** The body is the image itself (the shell's caller sends a Blob with its type). */
    setAvatar: (id: string, file: Blob) => h.api<Room>("PUT", `/api/chat/rooms/${id}/avatar`, file),
    removeAvatar: (id: string) => h.api<Room>("DELETE", `/api/chat/rooms/${id}/avatar`),
    members: (id: string, cursor: string | null, limit = 50) =>
      get<MemberPage>(`/api/chat/rooms/${id}/members?limit=${limit}${cursor ? `&cursor=${enc(cursor)}` : ""}`),
    invite: (id: string, body: { userIds: string[]; groupIds: string[] }) =>
      h.api<Invited>("POST", `/api/chat/rooms/${id}/members`, body),
    removeMember: (id: string, userId: string) => h.api<unknown>("DELETE", `/api/chat/rooms/${id}/members/${userId}`),
    setRole: (id: string, userId: string, role: RoomRole) =>
      h.api<MemberRoleChanged>("PATCH", `/api/chat/rooms/${id}/members/${userId}`, { role }),
    mutes: (id: string) => get<MuteList>(`/api/chat/rooms/${id}/mutes`),
    mute: (id: string, userId: string, minutes: number | null) =>
      h.api<MuteSet>("POST", `/api/chat/rooms/${id}/mutes`, { userId, minutes }),
    unmute: (id: string, userId: string) => h.api<unknown>("DELETE", `/api/chat/rooms/${id}/mutes/${userId}`),
    archive: (id: string, on: boolean) => h.api<Room>(on ? "POST" : "DELETE", `/api/chat/rooms/${id}/archive`),
    leave: (id: string, newOwnerId?: string) =>
      h.api<unknown>("POST", `/api/chat/rooms/${id}/leave`, newOwnerId ? { newOwnerId } : {}),
    hide: (id: string, hidden: boolean) => h.api<Room>("PATCH", `/api/chat/rooms/${id}/preferences`, { hidden }),
    people: (q: string) => get<{ items: Person[] }>(`/api/users?limit=10${q ? `&q=${enc(q)}` : ""}`),
    groups: (q: string) => get<{ items: Group[] }>(`/api/groups?limit=10${q ? `&q=${enc(q)}` : ""}`),
    seen: (messageId: string) => get<PersonList>(`/api/chat/messages/${messageId}/seen`),
    settings: () => get<ChatSettings>("/api/chat/settings"),
  };
}

export function useRoomSettingsApi() {
  const host = useHost();
  return useMemo(() => roomSettingsApi(host), [host]);
}

export const settingsKeys = {
  /** Under the room's member key, so the live feed's member events refresh it too. */
  members: (id: string) => ["chat", "members", id, "paged"] as const,
  mutes: (id: string) => ["chat", "room-settings", "mutes", id] as const,
  seen: (roomId: string, messageId: string) => ["chat", "seen", roomId, messageId] as const,
  chatSettings: ["chat", "settings"] as const,
};
