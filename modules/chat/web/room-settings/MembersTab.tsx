import { useState } from "react";
import { ActionIcon, Avatar, Badge, Button, Group, Loader, Menu, Modal, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDots } from "@tabler/icons-react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { roomRoles, type RoomRole } from "../../shared/capabilities.ts";
import type { Room, RoomMember } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { PresenceDot } from "../PresenceDot.tsx";
import { roomCan } from "./can.ts";
import { InviteForm } from "./InviteForm.tsx";
import { ROLE_BADGE } from "../role-badge.ts";
import { settingsKeys, useRoomSettingsApi } from "./room-api.ts";

/** Members by name (paged), with what the viewer may do to each: role, mute, remove. */
export function MembersTab({ room }: { room: Room }) {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const mayManage = roomCan(room, "manage");
  const mayModerate = roomCan(room, "moderate");
  const pages = useInfiniteQuery({
    queryKey: settingsKeys.members(room.id),
    queryFn: ({ pageParam }) => api.members(room.id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const mutes = useQuery({
    queryKey: settingsKeys.mutes(room.id),
    queryFn: () => api.mutes(room.id),
    enabled: mayModerate,
  });
  const muted = new Set((mutes.data?.items ?? []).map((m) => m.user.id));
  const [removing, setRemoving] = useState<RoomMember | null>(null);

  const act = async (call: () => Promise<unknown>, done: string) => {
    try {
      await call();
      notifications.show({ message: done });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    } finally {
      void qc.invalidateQueries({ queryKey: keys.members(room.id) });
      void qc.invalidateQueries({ queryKey: settingsKeys.mutes(room.id) });
      void qc.invalidateQueries({ queryKey: keys.room(room.id) });
    }
  };

  const list = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md">
      {roomCan(room, "invite") && <InviteForm room={room} />}
      {pages.isPending && <Loader size="sm" aria-label={t("room.loading")} />}
      {pages.isError && (
        <Text size="sm" c="red.8" role="alert">
          {problem(pages.error)}
        </Text>
      )}
      <Stack gap={6} component="ul" className="chat-settings-members" aria-label={t("roomSettings.tabs.members")}>
        {list.map((m) => {
          const name = m.user.displayName;
          const isMe = m.user.id === me.id;
          const isMuted = muted.has(m.user.id);
          // The server says whom the viewer may mute (never a moderator or owner) or remove.
          const canMute = m.actions.includes("mute");
          const canRemove = m.actions.includes("remove");
          return (
            <Group
              component="li"
              key={m.user.id}
              gap="xs"
              wrap="nowrap"
              justify="space-between"
              data-testid="settings-member"
              data-user-id={m.user.id}
            >
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <Avatar size={28} radius="xl" alt="" name={name} />
                <PresenceDot userId={m.user.id} />
                <Text size="sm" truncate>
                  {name}
                  {isMe && ` (${t("message.you")})`}
                </Text>
                {isMuted && (
                  <Badge size="xs" color="orange" variant="light" data-testid="muted-badge">
                    {t("roomSettings.members.muted")}
                  </Badge>
                )}
              </Group>
              <Group gap={4} wrap="nowrap">
                {mayManage ? (
                  <Select
                    size="xs"
                    w={130}
                    aria-label={t("roomSettings.members.role", { name })}
                    data={roomRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                    value={m.role}
                    allowDeselect={false}
                    onChange={(v) =>
                      v &&
                      v !== m.role &&
                      void act(
                        () => api.setRole(room.id, m.user.id, v as RoomRole),
                        t("roomSettings.members.roleChanged", { name, role: t(`roles.${v}`) }),
                      )
                    }
                    data-testid="member-role"
                  />
                ) : (
                  ROLE_BADGE[m.role] && (
                    <Text size="xs" c="dimmed">
                      {t(`roles.${m.role}`)}
                    </Text>
                  )
                )}
                {(canMute || canRemove) && (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        aria-label={t("roomSettings.members.actions", { name })}
                        data-testid="member-actions"
                      >
                        <IconDots size={16} aria-hidden="true" />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {canMute && isMuted && (
                        <Menu.Item
                          onClick={() =>
                            void act(() => api.unmute(room.id, m.user.id), t("roomSettings.members.unmuted", { name }))
                          }
                        >
                          {t("roomSettings.members.unmute")}
                        </Menu.Item>
                      )}
                      {canMute && !isMuted && (
                        <>
                          <Menu.Item
                            onClick={() =>
                              void act(
                                () => api.mute(room.id, m.user.id, 60),
                                t("roomSettings.members.mutedToast", { name }),
                              )
                            }
                          >
                            {t("roomSettings.members.mute1h")}
                          </Menu.Item>
                          <Menu.Item
                            onClick={() =>
                              void act(
                                () => api.mute(room.id, m.user.id, 24 * 60),
                                t("roomSettings.members.mutedToast", { name }),
                              )
                            }
                          >
                            {t("roomSettings.members.mute1d")}
                          </Menu.Item>
                          <Menu.Item
                            onClick={() =>
                              void act(
                                () => api.mute(room.id, m.user.id, null),
                                t("roomSettings.members.mutedToast", { name }),
                              )
                            }
                          >
                            {t("roomSettings.members.muteForever")}
                          </Menu.Item>
                        </>
                      )}
                      {canRemove && (
                        <Menu.Item color="red" onClick={() => setRemoving(m)}>
                          {t("roomSettings.members.remove")}
                        </Menu.Item>
                      )}
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Group>
            </Group>
          );
        })}
      </Stack>
      {pages.hasNextPage && (
        <Button
          variant="subtle"
          size="xs"
          onClick={() => void pages.fetchNextPage()}
          loading={pages.isFetchingNextPage}
        >
          {t("roomSettings.members.more")}
        </Button>
      )}
      <Modal
        opened={!!removing}
        onClose={() => setRemoving(null)}
        title={t("roomSettings.members.removeTitle")}
        centered
        closeButtonProps={{ "aria-label": t("roomSettings.close") }}
      >
        <Text size="sm">{t("roomSettings.members.removeConfirm", { name: removing?.user.displayName ?? "" })}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRemoving(null)}>
            {t("common.cancel")}
          </Button>
          <Button
            color="red"
            onClick={() => {
              const m = removing;
              setRemoving(null);
              if (m)
                void act(
                  () => api.removeMember(room.id, m.user.id),
                  t("roomSettings.members.removed", { name: m.user.displayName }),
                );
            }}
            data-testid="confirm-remove"
          >
            {t("roomSettings.members.remove")}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
