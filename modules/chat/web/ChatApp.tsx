import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { Loader, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Navigate, Route, Routes, useLocation, useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { sidebarRooms } from "./cache.ts";
import { useChatApi, useSidebar } from "./hooks.ts";
import { HostProvider, useHost, type ChatHost } from "./host.tsx";
import { lastRoom, rememberRoom } from "./last-room.ts";
import { registerChatTexts } from "./i18n.ts";
import { ListsModal } from "./ListsModal.tsx";
import { LiveRooms } from "./LiveRooms.tsx";
import { CreateRoomModal } from "./CreateRoomModal.tsx";
import { DirectModal, DirectoryModal } from "./RoomDialogs.tsx";
import { CustomEmojiFeed } from "./emoji/custom-emoji.tsx";
import { RoomView } from "./RoomView.tsx";
import { Sidebar } from "./Sidebar.tsx";
import { useHiddenRooms } from "./room-settings/hidden-rooms.ts";
import "./chat.css";

registerChatTexts();

// Administrators only: loaded when opened.
const ChatAdmin = lazy(() => import("./admin/ChatAdmin.tsx").then((m) => ({ default: m.ChatAdmin })));

/** The chat service ("Discutons"), mounted by the shell under /chat/*. */
export function ChatApp({ host }: { host: ChatHost }) {
  return (
    <HostProvider host={host}>
      <ChatLayout />
    </HostProvider>
  );
}

function ChatLayout() {
  const { t } = useTranslation("chat");
  const location = useLocation();
  const navigate = useNavigate();
  const sidebar = useSidebar();
  const [menuOpen, setMenuOpen] = useState(false);
  const [dialog, setDialog] = useState<"browse" | "create" | "direct" | null>(null);
  const [list, setList] = useState<"threads" | "saved" | null>(null);
  const rooms = sidebarRooms(sidebar.data);
  const hiddenIds = useHiddenRooms();
  // /chat itself shows the first room in place (the default channel for a newcomer).
  const currentId =
    /^\/chat\/([0-9a-f-]{36})/.exec(location.pathname)?.[1] ??
    (/^\/chat\/?$/.test(location.pathname) ? (rooms[0]?.id ?? null) : null);
  const ids = rooms.map((r) => r.id);
  if (currentId && !ids.includes(currentId)) ids.push(currentId);
  for (const id of hiddenIds) if (!ids.includes(id)) ids.push(id);
  const idsKey = ids.join(",");
  const followed = useMemo(() => (idsKey ? idsKey.split(",") : []), [idsKey]);

  // Alt+Up / Alt+Down: previous / next room in the sidebar.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
      const list = sidebarRooms(sidebar.data);
      if (!list.length) return;
      e.preventDefault();
      // The address as it is now: a key pressed right after a switch comes before the re-render.
      const here = /^\/chat\/([0-9a-f-]{36})/.exec(window.location.pathname)?.[1] ?? currentId;
      const i = list.findIndex((r) => r.id === here);
      const next = list[(i + (e.key === "ArrowDown" ? 1 : list.length - 1) + (i < 0 ? 1 : 0)) % list.length];
      if (next) navigate(`/chat/${next.id}`);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [sidebar.data, currentId, navigate]);

  return (
    <div className={`chat-app${menuOpen ? " chat-menu-open" : ""}`} data-testid="chat-app">
      <LiveRooms roomIds={followed} />
      <CustomEmojiFeed />
      <Sidebar
        currentId={currentId}
        onNavigate={() => setMenuOpen(false)}
        onBrowse={() => setDialog("browse")}
        onCreate={() => setDialog("create")}
        onDirect={() => setDialog("direct")}
        onList={setList}
      />
      {menuOpen && <div className="chat-backdrop" onClick={() => setMenuOpen(false)} aria-hidden="true" />}
      <div className="chat-main">
        <Routes>
          <Route index element={<FirstRoom onMenu={() => setMenuOpen(true)} />} />
          <Route path="c/:slug" element={<BySlug />} />
          <Route
            path="admin/*"
            element={
              <Suspense fallback={<Loader m="xl" aria-label={t("room.loading")} />}>
                <ChatAdmin onMenu={() => setMenuOpen(true)} />
              </Suspense>
            }
          />
          <Route path=":roomId" element={<RoomRoute onMenu={() => setMenuOpen(true)} />} />
          <Route path="*" element={<Text m="md">{t("room.notFound")}</Text>} />
        </Routes>
      </div>
      <DirectoryModal opened={dialog === "browse"} onClose={() => setDialog(null)} />
      <CreateRoomModal opened={dialog === "create"} onClose={() => setDialog(null)} />
      <DirectModal opened={dialog === "direct"} onClose={() => setDialog(null)} />
      <ListsModal kind={list} onClose={() => setList(null)} />
    </div>
  );
}

function RoomRoute({ onMenu }: { onMenu: () => void }) {
  const { roomId } = useParams();
  const { me } = useHost();
  useEffect(() => {
    if (roomId) rememberRoom(me.id, roomId);
  }, [me.id, roomId]);
  if (!roomId) return null;
  return <RoomView key={roomId} roomId={roomId} onMenu={onMenu} />;
}

/** /chat shows the room last read here (else the first of the sidebar) without changing the address. */
function FirstRoom({ onMenu }: { onMenu: () => void }) {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const sidebar = useSidebar();
  if (sidebar.isPending) return <Loader m="xl" aria-label={t("room.loading")} />;
  const rooms = sidebarRooms(sidebar.data);
  const last = lastRoom(me.id);
  // Only a room still in the sidebar: one left or archived since is not reopened.
  const first = rooms.find((r) => r.id === last) ?? rooms[0];
  if (first) return <RoomView key={first.id} roomId={first.id} onMenu={onMenu} />;
  return (
    <Text m="md" data-testid="no-rooms">
      {t("room.none")}
    </Text>
  );
}

/** #channel links: /chat/c/<slug> resolves to the room. */
function BySlug() {
  const { t } = useTranslation("chat");
  const { slug = "" } = useParams();
  const api = useChatApi();
  const q = useQuery({ queryKey: ["chat", "slug", slug], queryFn: () => api.roomBySlug(slug), retry: false });
  if (q.isPending) return <Loader m="xl" aria-label={t("room.loading")} />;
  if (!q.data) return <Text m="md">{t("room.notFound")}</Text>;
  return <Navigate to={`/chat/${q.data.id}`} replace />;
}
