import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  canInOrg,
  canInRoom,
  OrgChatCapability,
  orgChatCapabilityTable,
  RoomCapability,
  type OrgRole,
} from "../../shared/capabilities.ts";
import type { Room } from "../../shared/schemas.ts";
import { useHost, type ChatHost, type ChatUser } from "../host.tsx";

export type ReportResolution = "dismissed" | "message_deleted" | "member_muted" | "handled";

export interface Report {
  id: string;
  reason: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: ReportResolution | null;
  reporter: { id: string; username: string } | null;
  message: { id: string; text: string; deletedAt: string | null; author: { id: string; username: string } | null };
}

export interface Mute {
  user: { id: string; username: string; displayName: string };
  until: string | null;
  mutedBy: string;
  mutedAt: string;
}

export interface RoomRetention {
  /** The room's own setting in days, null when it follows the global one. */
  days: number | null;
  globalDays: number;
  /** What applies: 0 keeps messages forever. */
  effectiveDays: number;
}

/** Moderation calls (server: modules/chat/server/moderation). */
export function moderationApi(h: ChatHost) {
  return {
    report: (messageId: string, reason: string) =>
      h.api<{ id: string }>("POST", `/api/chat/messages/${messageId}/reports`, { reason }),
    reports: (roomId: string) => h.api<{ items: Report[] }>("GET", `/api/chat/rooms/${roomId}/reports?status=open`),
    resolve: (reportId: string, body: { resolution: ReportResolution; deleteMessage?: boolean }) =>
      h.api<unknown>("POST", `/api/chat/reports/${reportId}/resolve`, body),
    mutes: (roomId: string) => h.api<{ items: Mute[] }>("GET", `/api/chat/rooms/${roomId}/mutes`),
    mute: (roomId: string, userId: string, minutes: number | null) =>
      h.api<unknown>("POST", `/api/chat/rooms/${roomId}/mutes`, { userId, minutes }),
    unmute: (roomId: string, userId: string) => h.api<unknown>("DELETE", `/api/chat/rooms/${roomId}/mutes/${userId}`),
    retention: (roomId: string) => h.api<RoomRetention>("GET", `/api/chat/rooms/${roomId}/retention`),
    setRetention: (roomId: string, days: number | null) =>
      h.api<unknown>("PUT", `/api/chat/rooms/${roomId}/retention`, { days }),
  };
}

export function useModerationApi() {
  const host = useHost();
  return useMemo(() => moderationApi(host), [host]);
}

export const modKeys = {
  reports: (roomId: string) => ["chat", "moderation", "reports", roomId] as const,
  mutes: (roomId: string) => ["chat", "moderation", "mutes", roomId] as const,
  retention: (roomId: string) => ["chat", "moderation", "retention", roomId] as const,
};

const orgRole = (me: ChatUser): OrgRole => (me.role in orgChatCapabilityTable.grants ? (me.role as OrgRole) : "guest");

/** What the viewer may do in this room, as the server's policies decide it (modules/chat/server/policies.ts). */
export function roomPowers(room: Room, me: ChatUser) {
  const role = room.membership?.role ?? null;
  const open = room.archivedAt === null;
  const supervises = room.type === "channel" && canInOrg(orgRole(me), OrgChatCapability.superviseChannels);
  return {
    moderate: open && (canInRoom(role, RoomCapability.moderate, room.settings) || supervises),
    manage: room.type !== "dm" && open && (canInRoom(role, RoomCapability.manage, room.settings) || supervises),
    /** Custom slash commands are the organisation's, defined by administrators. */
    administer: canInOrg(orgRole(me), OrgChatCapability.administer),
  };
}

/** The room's open reports for its moderators (no realtime event reaches them: fetched on open and on focus). */
export function useOpenReports(roomId: string, enabled: boolean) {
  const api = useModerationApi();
  return useQuery({ queryKey: modKeys.reports(roomId), queryFn: () => api.reports(roomId), enabled });
}
