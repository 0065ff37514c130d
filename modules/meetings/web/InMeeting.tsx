import { Alert, Button, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconMicrophoneOff, IconPhoneOff } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { meetingTopic, type AttendeeDto } from "../shared/schemas.ts";
import { DeviceToggles } from "./DeviceToggles.tsx";
import { LobbyPanel } from "./LobbyPanel.tsx";
import { RoomMedia, type Muted } from "./room-media.ts";
import type { RoomSocket } from "./room-socket.ts";

export interface Session {
  socket: RoomSocket;
  meeting: { id: string; code: string; title: string };
  attendee: AttendeeDto;
  /** Whether the person may admit (moderators: from the meeting's `viewer.capabilities`). */
  mayAdmit: boolean;
}

/**
 * One participant's picture and name; their sound plays from the same
 * element, which stays in the page while their camera is off (a cover hides
 * the last picture) so their voice goes on.
 */
function Tile({
  stream,
  name,
  self,
  publisherId,
  muted = { audio: false, video: false },
}: {
  stream: MediaStream | null;
  name: string;
  self?: boolean;
  publisherId?: string;
  muted?: Muted;
}) {
  const { t } = useTranslation("meetings");
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return (
    <figure
      data-publisher={publisherId}
      style={{
        margin: 0,
        position: "relative",
        aspectRatio: "16 / 9",
        background: "#111",
        borderRadius: 8,
        overflow: "hidden",
      }}
    >
      {stream && (
        <video
          ref={ref}
          autoPlay
          playsInline
          muted={self}
          style={{ width: "100%", height: "100%", objectFit: "cover", ...(self ? { transform: "scaleX(-1)" } : {}) }}
        />
      )}
      {(!stream || muted.video) && (
        <Text c="gray.3" ta="center" pt="xl" style={{ position: "absolute", inset: 0, background: "#111" }}>
          {t("room.noVideo")}
        </Text>
      )}
      <figcaption
        style={{
          position: "absolute",
          left: 8,
          bottom: 8,
          color: "#fff",
          background: "rgba(0,0,0,.65)",
          padding: "2px 8px",
          borderRadius: 4,
        }}
      >
        {self ? t("room.you", { name }) : name}
        {muted.audio && (
          <IconMicrophoneOff
            size={16}
            role="img"
            aria-label={t("room.micMuted")}
            style={{ marginLeft: 6, verticalAlign: "text-bottom" }}
          />
        )}
      </figcaption>
    </figure>
  );
}

/**
 * Inside the meeting: a tile per participant who publishes, our own first;
 * microphone, camera and leave; the lobby for those who may admit. Who is in
 * comes from `meeting:<id>` events, the pictures from the SFU.
 */
export function InMeeting({
  session,
  stream,
  mic,
  camera,
  onMic,
  onCamera,
  onLeave,
}: {
  session: Session;
  stream: MediaStream | null;
  mic: boolean;
  camera: boolean;
  onMic: (on: boolean) => void;
  onCamera: (on: boolean) => void;
  onLeave: () => void;
}) {
  const { t } = useTranslation("meetings");
  const [people, setPeople] = useState<AttendeeDto[]>([]);
  const [streams, setStreams] = useState<Record<string, MediaStream>>({});
  const [mutes, setMutes] = useState<Record<string, Muted>>({});
  const mediaRef = useRef<RoomMedia | null>(null);
  // What the toggles say when the media starts (joining muted), then each change as it comes.
  const wanted = useRef({ mic, camera });
  wanted.current = { mic, camera };
  const [failed, setFailed] = useState(false);
  const { socket, meeting, attendee } = session;

  useEffect(() => {
    const topic = meetingTopic(meeting.id);
    const media = new RoomMedia(socket, topic, attendee.id, (id, s) =>
      setStreams((all) => {
        const next = { ...all };
        if (s) next[id] = s;
        else delete next[id];
        return next;
      }),
    );
    media.onMuted = (id, m) => setMutes((all) => ({ ...all, [id]: m }));
    mediaRef.current = media;
    const refresh = () =>
      void socket.send(topic, { op: "participants" }).then((r) => {
        if (r.ok) setPeople((r.body?.participants as AttendeeDto[] | undefined) ?? []);
      });
    const start = async () => {
      const ok = await socket.subscribe(topic, {
        onEvent: (name) => {
          if (name.startsWith("meetings.attendee.")) refresh();
        },
        onMessage: (body) => media.notice(body),
      });
      if (!ok) throw new Error("refused");
      refresh();
      await media.join();
      await media.setMuted("audio", !wanted.current.mic);
      await media.setMuted("video", !wanted.current.camera);
      if (stream?.getTracks().length) await media.publish(stream);
    };
    start().catch(() => setFailed(true));
    return () => {
      mediaRef.current = null;
      media.close();
    };
  }, [socket, meeting.id, attendee.id, stream]);
  useEffect(() => void mediaRef.current?.setMuted("audio", !mic), [mic]);
  useEffect(() => void mediaRef.current?.setMuted("video", !camera), [camera]);

  const others = people.filter((p) => p.id !== attendee.id);
  return (
    <Stack component="main" p="md" h="100vh">
      <Group justify="space-between">
        <Title order={1} size="h3">
          {meeting.title}
        </Title>
        <Text c="dimmed" size="sm">
          {t("room.code", { code: meeting.code })}
        </Text>
      </Group>
      {failed && (
        <Alert color="red" role="alert">
          {t("room.failed")}
        </Alert>
      )}
      <Group align="start" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <SimpleGrid
          component="section"
          aria-label={t("room.tiles")}
          cols={{ base: 1, sm: 2, lg: 3 }}
          style={{ flex: 1 }}
        >
          <Tile stream={camera ? stream : null} name={attendee.name} self muted={{ audio: !mic, video: !camera }} />
          {others.map((p) => (
            <Tile key={p.id} stream={streams[p.id] ?? null} name={p.name} publisherId={p.id} muted={mutes[p.id]} />
          ))}
        </SimpleGrid>
        {session.mayAdmit && (
          <div style={{ width: 300 }}>
            <LobbyPanel meetingId={meeting.id} socket={socket} />
          </div>
        )}
      </Group>
      {others.length === 0 && <Text c="dimmed">{t("room.alone", { code: meeting.code })}</Text>}
      <Group component="nav" aria-label={t("room.controls")} justify="center">
        <DeviceToggles mic={mic} camera={camera} onMic={onMic} onCamera={onCamera} disabled={!stream} />
        <Button color="red" leftSection={<IconPhoneOff size={18} aria-hidden />} onClick={onLeave}>
          {t("room.leave")}
        </Button>
      </Group>
    </Stack>
  );
}
