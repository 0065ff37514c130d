import { Alert, Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { DeviceToggles } from "./DeviceToggles.tsx";

export interface JoinChoice {
  name: string;
  password: string;
}

/**
 * Before knocking: the camera preview, microphone and camera toggles, the
 * name (for people without an account) and, when the meeting asks, its
 * password. The stream is the parent's: it goes on into the meeting.
 */
export function JoinScreen({
  code,
  stream,
  devicesFailed,
  needsName,
  needsPassword,
  problem,
  busy,
  mic,
  camera,
  onMic,
  onCamera,
  onJoin,
}: {
  code: string;
  stream: MediaStream | null;
  devicesFailed: boolean;
  needsName: boolean;
  needsPassword: boolean;
  problem: string | null;
  busy: boolean;
  mic: boolean;
  camera: boolean;
  onMic: (on: boolean) => void;
  onCamera: (on: boolean) => void;
  onJoin: (choice: JoinChoice) => void;
}) {
  const { t } = useTranslation("meetings");
  const video = useRef<HTMLVideoElement>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onJoin({ name: name.trim(), password });
  };

  return (
    <Stack component="main" p="md" maw={640} mx="auto">
      <Title order={1}>{t("room.joinTitle")}</Title>
      <Text c="dimmed">{t("room.code", { code })}</Text>
      <Card withBorder p={0} style={{ aspectRatio: "16 / 9", background: "#111", overflow: "hidden" }}>
        {stream && camera ? (
          <video
            ref={video}
            autoPlay
            playsInline
            muted
            aria-label={t("room.preview")}
            style={{ width: "100%", height: "100%", objectFit: "cover", transform: "scaleX(-1)" }}
          />
        ) : (
          <Text c="gray.3" ta="center" m="auto">
            {t("room.noVideo")}
          </Text>
        )}
      </Card>
      {devicesFailed && (
        <Alert color="yellow" role="status">
          {t("room.noDevices")}
        </Alert>
      )}
      <form onSubmit={submit} aria-label={t("room.joinTitle")}>
        <Stack>
          <Group>
            <DeviceToggles mic={mic} camera={camera} onMic={onMic} onCamera={onCamera} disabled={!stream} />
          </Group>
          {needsName && (
            <TextInput
              label={t("room.name")}
              description={t("room.nameHint")}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={100}
              required
              autoComplete="name"
            />
          )}
          {needsPassword && (
            <PasswordInput
              label={t("room.password")}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
            />
          )}
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Button type="submit" loading={busy} disabled={needsName && !name.trim()}>
            {t("room.join")}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
