import { useMemo } from "react";
import type { RoomRole } from "../../shared/capabilities.ts";
import type { Room, RoomMember } from "../../shared/schemas.ts";
import type { Person } from "../api.ts";
import { useHost, type ChatHost } from "../host.tsx";

export interface RoomPatch {
  slug?: string;
  name?: string;
  topic?: string;
  description?: string;
  announcement?: boolean;
  membersCanMentionAll?: boolean;
  membersCanInvite?: boolean;
}
export interface MemberPage {
  items: RoomMember[];
  next: string | null;
}
export interface Mute {
  user: Person;
  until: string | null;
}
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
      h.api<{ added: string[] }>("POST", `/api/chat/rooms/${id}/members`, body),
    removeMember: (id: string, userId: string) => h.api<unknown>("DELETE", `/api/chat/rooms/${id}/members/${userId}`),
    setRole: (id: string, userId: string, role: RoomRole) =>
      h.api<unknown>("PATCH", `/api/chat/rooms/${id}/members/${userId}`, { role }),
    mutes: (id: string) => get<{ items: Mute[] }>(`/api/chat/rooms/${id}/mutes`),
    mute: (id: string, userId: string, minutes: number | null) =>
      h.api<unknown>("POST", `/api/chat/rooms/${id}/mutes`, { userId, minutes }),
    unmute: (id: string, userId: string) => h.api<unknown>("DELETE", `/api/chat/rooms/${id}/mutes/${userId}`),
    archive: (id: string, on: boolean) => h.api<Room>(on ? "POST" : "DELETE", `/api/chat/rooms/${id}/archive`),
    leave: (id: string, newOwnerId?: string) =>
      h.api<unknown>("POST", `/api/chat/rooms/${id}/leave`, newOwnerId ? { newOwnerId } : {}),
    hide: (id: string, hidden: boolean) => h.api<Room>("PATCH", `/api/chat/rooms/${id}/preferences`, { hidden }),
    people: (q: string) => get<{ items: Person[] }>(`/api/users?limit=10${q ? `&q=${enc(q)}` : ""}`),
    groups: (q: string) => get<{ items: Group[] }>(`/api/groups?limit=10${q ? `&q=${enc(q)}` : ""}`),
    seen: (messageId: string) => get<{ items: Person[] }>(`/api/chat/messages/${messageId}/seen`),
    settings: () => get<{ readReceipts: boolean }>("/api/chat/settings"),
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
