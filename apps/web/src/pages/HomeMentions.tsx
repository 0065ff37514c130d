import { Anchor, Badge, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError, get } from "../api/client.ts";

interface SidebarRoom {
  id: string;
  type: string;
  name: string;
  participants?: { displayName: string }[];
  membership: { mentions: number; unread: number } | null;
}

/** The chat rooms where someone mentioned me and I have not read it yet (from the chat's sidebar API). */
export function HomeMentions() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ["home", "mentions"],
    queryFn: async () => {
      try {
        const r = await get<{ sections: { rooms: SidebarRoom[] }[] }>("/api/chat/sidebar");
        return r.sections.flatMap((s) => s.rooms).filter((room) => (room.membership?.mentions ?? 0) > 0);
      } catch (e) {
        // The chat service is not installed on this server.
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  });
  if (q.isPending) return null;
  if (q.data === null || q.isError)
    return (
      <Text c="dimmed" size="sm">
        {t("home.nothingYet")}
      </Text>
    );
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
            {room.type === "dm" && room.participants?.length
              ? room.participants.map((p) => p.displayName).join(", ")
              : `#${room.name}`}
          </Anchor>
          <Badge color="red" variant="light" size="sm">
            {t("home.mentionCount", { count: room.membership?.mentions ?? 0 })}
          </Badge>
        </Group>
      ))}
    </Stack>
  );
}
