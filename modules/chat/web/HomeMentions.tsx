import { Anchor, Badge, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useWebHost } from "@ensemble/ui";
import { chatApi } from "./api.ts";
import { sidebarRooms } from "./cache.ts";
import { roomLabel } from "./hooks.ts";

/** The chat's home card: the rooms where someone mentioned me and I have not read it yet. */
export default function HomeMentions() {
  const { t } = useTranslation("chat");
  const host = useWebHost();
  const q = useQuery({
    queryKey: ["chat", "home-mentions"],
    queryFn: async () =>
      sidebarRooms(await chatApi(host).sidebar()).filter((room) => (room.membership?.mentions ?? 0) > 0),
  });
  if (q.isPending || q.isError) return null;
  if (q.data.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t("home.noMentions")}
      </Text>
    );
  return (
    <Stack gap={4}>
      {q.data.slice(0, 5).map((room) => (
        <Group key={room.id} gap="xs" wrap="nowrap">
          <Anchor component={Link} to={`/chat/${room.id}`} size="sm">
            {room.type === "dm" ? roomLabel(room, host.me.id) : `#${room.name}`}
          </Anchor>
          <Badge color="red" variant="light" size="sm">
            {t("home.mentionCount", { count: room.membership?.mentions ?? 0 })}
          </Badge>
        </Group>
      ))}
    </Stack>
  );
}
