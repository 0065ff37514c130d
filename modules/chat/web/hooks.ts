import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Room } from "../shared/schemas.ts";
import { chatApi } from "./api.ts";
import { keys } from "./cache.ts";
import { useHost } from "./host.tsx";
import { readUnreadFirst } from "./room-settings/unread-first.ts";

export function useChatApi() {
  const host = useHost();
  return useMemo(() => chatApi(host), [host]);
}

export function useSidebar() {
  const api = useChatApi();
  const meId = useHost().me.id;
  // The order choice is read when fetching: toggling it refetches (same key, so every live patch still applies).
  return useQuery({ queryKey: keys.sidebar, queryFn: () => api.sidebar(readUnreadFirst(meId)) });
}

export function useRoom(id: string | undefined) {
  const api = useChatApi();
  return useQuery({ queryKey: keys.room(id ?? ""), queryFn: () => api.room(id!), enabled: !!id });
}

/** The room's members by id (names for typing, reactions, autocomplete). */
export function useMembers(roomId: string | undefined) {
  const api = useChatApi();
  const q = useQuery({
    queryKey: keys.members(roomId ?? ""),
    queryFn: () => api.members(roomId!),
    enabled: !!roomId,
    staleTime: 60_000,
  });
  const byId = useMemo(() => new Map((q.data?.items ?? []).map((m) => [m.user.id, m.user])), [q.data]);
  return { list: q.data?.items ?? [], byId };
}

/** How a room is named in the UI: `#slug` for channels, the other people for DMs. */
export function roomLabel(r: Pick<Room, "type" | "name" | "participants">, meId: string): string {
  if (r.type === "dm") {
    const others = (r.participants ?? []).filter((p) => p.id !== meId);
    return (others.length ? others : (r.participants ?? [])).map((p) => p.displayName).join(", ") || r.name;
  }
  return r.name;
}

export function formatSize(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: u ? 1 : 0 }).format(v)} ${units[u]}`;
}
