import { ActionIcon, Badge, Group, Loader, NavLink, ScrollArea, Stack, Text, Title, Tooltip } from "@mantine/core";
import {
  IconBookmark,
  IconHash,
  IconLayoutSidebarLeftExpand,
  IconLock,
  IconMessagePlus,
  IconMessages,
  IconPlus,
  IconSearch,
  IconSettings,
} from "@tabler/icons-react";
import { Link, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import type { Room } from "../shared/schemas.ts";
import { roomLabel, useSidebar } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { PresenceDot } from "./PresenceDot.tsx";
import { RoomAvatar } from "./room-settings/RoomAvatar.tsx";
import { SidebarRow, UnreadFirstToggle, useSections } from "./room-settings/SidebarExtras.tsx";

interface Props {
  currentId: string | null;
  onNavigate: () => void;
  onBrowse: () => void;
  onCreate: () => void;
  onDirect: () => void;
  onList: (kind: "threads" | "saved") => void;
}

/** Favourites, channels and direct messages; unread rooms in bold with their mention count. */
export function Sidebar({ currentId, onNavigate, onBrowse, onCreate, onDirect, onList }: Props) {
  const { t } = useTranslation("chat");
  const sidebar = useSidebar();
  const { me } = useHost();
  const sections = useSections(sidebar.data?.sections);
  const inAdmin = useLocation().pathname.startsWith("/chat/admin");
  const icon = (r: Room) => {
    if (r.type === "dm") {
      const other = (r.participants ?? []).find((p) => p.id !== me.id);
      return other ? <PresenceDot userId={other.id} /> : null;
    }
    if (r.avatarUrl) return <RoomAvatar room={r} size={18} />;
    return r.type === "private" ? <IconLock size={14} aria-hidden="true" /> : <IconHash size={14} aria-hidden="true" />;
  };
  return (
    <nav className="chat-sidebar" aria-label={t("sidebar.label")}>
      {/* Wraps rather than overflowing onto the room's header when the list is narrow or the name long. */}
      <Group justify="space-between" px="sm" py={6} gap={4}>
        <Title order={1} size="h5">
          {/* The service's name, as in the shell's navigation (the manifest's label). */}
          {t("nav")}
        </Title>
        <Group gap={2} wrap="nowrap">
          <UnreadFirstToggle />
          <Tooltip label={t("sidebar.browse")} withinPortal>
            <ActionIcon variant="subtle" onClick={onBrowse} aria-label={t("sidebar.browse")}>
              <IconSearch size={16} aria-hidden="true" />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t("sidebar.create")} withinPortal>
            <ActionIcon variant="subtle" onClick={onCreate} aria-label={t("sidebar.create")}>
              <IconPlus size={16} aria-hidden="true" />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t("sidebar.newDirect")} withinPortal>
            <ActionIcon variant="subtle" onClick={onDirect} aria-label={t("sidebar.newDirect")}>
              <IconMessagePlus size={16} aria-hidden="true" />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <ScrollArea className="chat-sidebar-scroll" type="auto">
        {sidebar.isPending && <Loader size="sm" m="md" aria-label={t("room.loading")} />}
        <Stack gap={4}>
          <div>
            <NavLink
              component="button"
              label={t("lists.threads")}
              leftSection={<IconMessages size={14} aria-hidden="true" />}
              onClick={() => onList("threads")}
            />
            <NavLink
              component="button"
              label={t("lists.saved")}
              leftSection={<IconBookmark size={14} aria-hidden="true" />}
              onClick={() => onList("saved")}
            />
            {me.capabilities.includes("chat.administer") && (
              <NavLink
                component={Link}
                to="/chat/admin"
                onClick={onNavigate}
                active={inAdmin}
                aria-current={inAdmin ? "page" : undefined}
                label={t("admin.link")}
                leftSection={<IconSettings size={14} aria-hidden="true" />}
                data-testid="chat-admin-link"
              />
            )}
          </div>
          {sections?.map((sec) =>
            sec.rooms.length === 0 && sec.key === "favourites" ? null : (
              <div key={sec.key} role="group" aria-labelledby={`chat-sec-${sec.key}`}>
                <Text id={`chat-sec-${sec.key}`} size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt={6}>
                  {t(`sidebar.sections.${sec.key}`)}
                </Text>
                {sec.rooms.length === 0 && (
                  <Text size="xs" c="dimmed" px="sm">
                    {t("sidebar.empty")}
                  </Text>
                )}
                {sec.rooms.map((r) => {
                  const unread = r.membership?.unread ?? 0;
                  const mentions = r.membership?.mentions ?? 0;
                  const name = r.type === "dm" ? roomLabel(r, me.id) : (r.slug ?? r.name);
                  return (
                    <SidebarRow key={r.id} room={r} label={name}>
                      <NavLink
                        component={Link}
                        to={`/chat/${r.id}`}
                        onClick={onNavigate}
                        active={r.id === currentId}
                        aria-current={r.id === currentId ? "page" : undefined}
                        leftSection={icon(r)}
                        data-testid="sidebar-room"
                        data-room-id={r.id}
                        data-unread={unread}
                        data-muted={r.membership?.muted ? "true" : undefined}
                        label={
                          <Text
                            size="sm"
                            fw={unread > 0 && !r.membership?.muted ? 700 : 400}
                            c={r.membership?.muted ? "dimmed" : undefined}
                            truncate
                          >
                            {name}
                            {unread > 0 && (
                              <span className="visually-hidden"> — {t("sidebar.unread", { count: unread })}</span>
                            )}
                          </Text>
                        }
                        rightSection={
                          mentions > 0 ? (
                            <Badge
                              size="sm"
                              color="red"
                              circle
                              aria-label={t("sidebar.mentions", { count: mentions })}
                              data-testid="mention-badge"
                            >
                              {mentions}
                            </Badge>
                          ) : unread > 0 && !r.membership?.muted ? (
                            <Badge size="sm" variant="light" data-testid="unread-badge" aria-hidden="true">
                              {unread}
                            </Badge>
                          ) : null
                        }
                      />
                    </SidebarRow>
                  );
                })}
              </div>
            ),
          )}
        </Stack>
      </ScrollArea>
    </nav>
  );
}

/**
 * On a phone, opens the sidebar over the room. Not a second « burger » under the shell's (that one opens the
 * services' navigation): the sidebar's own icon.
 */
export function SidebarOpener({ onMenu }: { onMenu: () => void }) {
  const { t } = useTranslation("chat");
  return (
    <ActionIcon hiddenFrom="sm" variant="subtle" onClick={onMenu} aria-label={t("sidebar.open")}>
      <IconLayoutSidebarLeftExpand size={20} aria-hidden="true" />
    </ActionIcon>
  );
}
