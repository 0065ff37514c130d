import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Room } from "../../shared/schemas.ts";
import type { ReportResolution } from "../../shared/events.ts";
import type {
  MuteList,
  MuteSet,
  Report,
  ReportCreated,
  ReportList,
  ReportResolved,
  RoomRetention,
  RoomRetentionSet,
} from "../../shared/moderation-wire.ts";
import { useHost, type ChatHost, type ChatUser } from "../host.tsx";

// The shapes are the server's response schemas (modules/chat/shared/moderation-wire.ts).
export type { Report, ReportResolution, RoomRetention };

/** Moderation calls (server: modules/chat/server/moderation). */
export function moderationApi(h: ChatHost) {
  return {
    report: (messageId: string, reason: string) =>
      h.api<ReportCreated>("POST", `/api/chat/messages/${messageId}/reports`, { reason }),
    reports: (roomId: string) => h.api<ReportList>("GET", `/api/chat/rooms/${roomId}/reports?status=open`),
    resolve: (reportId: string, body: { resolution: ReportResolution; deleteMessage?: boolean }) =>
      h.api<ReportResolved>("POST", `/api/chat/reports/${reportId}/resolve`, body),
    mutes: (roomId: string) => h.api<MuteList>("GET", `/api/chat/rooms/${roomId}/mutes`),
    mute: (roomId: string, userId: string, minutes: number | null) =>
      h.api<MuteSet>("POST", `/api/chat/rooms/${roomId}/mutes`, { userId, minutes }),
    unmute: (roomId: string, userId: string) => h.api<unknown>("DELETE", `/api/chat/rooms/${roomId}/mutes/${userId}`),
    retention: (roomId: string) => h.api<RoomRetention>("GET", `/api/chat/rooms/${roomId}/retention`),
    setRetention: (roomId: string, days: number | null) =>
      h.api<RoomRetentionSet>("PUT", `/api/chat/rooms/${roomId}/retention`, { days }),
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

/** What the viewer may do in this room, as the server's policy answers it (`room.actions`, `me.capabilities`). */
export function roomPowers(room: Room, me: ChatUser) {
  return {
    moderate: room.actions.includes("moderate"),
    manage: room.actions.includes("manage"),
    /** Custom slash commands are the organisation's, defined by administrators. */
    administer: me.capabilities.includes("chat.administer"),
  };
}

/** The room's open reports for its moderators (no realtime event reaches them: fetched on open and on focus). */
export function useOpenReports(roomId: string, enabled: boolean) {
  const api = useModerationApi();
  return useQuery({ queryKey: modKeys.reports(roomId), queryFn: () => api.reports(roomId), enabled });
}
