import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { lobbyTopic, type AttendeeDto } from "../shared/schemas.ts";
import { roomApi } from "./room-api.ts";
import type { RoomSocket } from "./room-socket.ts";

/**
 * The moderators' view of the lobby: who knocks (live, from `meeting-lobby:`),
 * admit or deny each, or admit everyone. Decisions go over the meeting's
 * socket; the server checks the capability again.
 */
export function LobbyPanel({ meetingId, socket }: { meetingId: string; socket: RoomSocket }) {
  const { t } = useTranslation("meetings");
  const [waiting, setWaiting] = useState<AttendeeDto[]>([]);

  useEffect(() => {
    let live = true;
    void socket
      .subscribe(lobbyTopic(meetingId), {
        onEvent: (name, payload) => {
          const a = payload as unknown as AttendeeDto;
          if (name === "meetings.attendee.knocked") setWaiting((w) => [...w.filter((x) => x.id !== a.id), a]);
          else if (name.startsWith("meetings.attendee.")) setWaiting((w) => w.filter((x) => x.id !== a.id));
        },
      })
      // Read after subscribing: nobody who knocks in between is missed.
      .then(() => roomApi<{ waiting: AttendeeDto[] }>("GET", `/api/meetings/${meetingId}/lobby`))
      .then((r) => {
        if (live) setWaiting(r.waiting);
      });
    return () => {
      live = false;
    };
  }, [meetingId, socket]);

  const topic = `meeting:${meetingId}`;
  const decide = (op: "admit" | "deny", attendeeId: string) => void socket.send(topic, { op, attendeeId });

  return (
    <Card withBorder component="section" aria-labelledby="lobby-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4" id="lobby-title">
            {t("room.lobby", { count: waiting.length })}
          </Title>
          {waiting.length > 1 && (
            <Button size="xs" onClick={() => void socket.send(topic, { op: "admitAll" })}>
              {t("room.admitAll")}
            </Button>
          )}
        </Group>
        {waiting.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("room.lobbyEmpty")}
          </Text>
        ) : (
          <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {waiting.map((a) => (
              <Group component="li" key={a.id} justify="space-between" wrap="nowrap">
                <Text>{a.name}</Text>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    aria-label={t("room.admitName", { name: a.name })}
                    onClick={() => decide("admit", a.id)}
                  >
                    {t("room.admit")}
                  </Button>
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={t("room.denyName", { name: a.name })}
                    onClick={() => decide("deny", a.id)}
                  >
                    {t("room.deny")}
                  </Button>
                </Group>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
