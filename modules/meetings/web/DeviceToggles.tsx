import { ActionIcon, Tooltip } from "@mantine/core";
import { IconMicrophone, IconMicrophoneOff, IconVideo, IconVideoOff } from "@tabler/icons-react";
import type { Icon } from "@ensemble/ui";
import { useTranslation } from "react-i18next";

/** A pressed/unpressed round button: its name says the device, its tooltip what a press does. */
function Toggle({
  label,
  hint,
  on,
  OnIcon,
  OffIcon,
  disabled,
  onChange,
}: {
  label: string;
  hint: string;
  on: boolean;
  OnIcon: Icon;
  OffIcon: Icon;
  disabled: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <Tooltip label={hint}>
      <ActionIcon
        size="xl"
        radius="xl"
        variant={on ? "light" : "filled"}
        color={on ? undefined : "red"}
        aria-label={label}
        aria-pressed={on}
        disabled={disabled}
        onClick={() => onChange(!on)}
      >
        {on ? <OnIcon aria-hidden /> : <OffIcon aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

/** Microphone and camera on/off (the same on the join screen and in the meeting). */
export function DeviceToggles({
  mic,
  camera,
  onMic,
  onCamera,
  disabled = false,
}: {
  mic: boolean;
  camera: boolean;
  onMic: (on: boolean) => void;
  onCamera: (on: boolean) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation("meetings");
  return (
    <>
      <Toggle
        label={t("room.mic")}
        hint={mic ? t("room.micOn") : t("room.micOff")}
        on={mic}
        OnIcon={IconMicrophone}
        OffIcon={IconMicrophoneOff}
        disabled={disabled}
        onChange={onMic}
      />
      <Toggle
        label={t("room.camera")}
        hint={camera ? t("room.cameraOn") : t("room.cameraOff")}
        on={camera}
        OnIcon={IconVideo}
        OffIcon={IconVideoOff}
        disabled={disabled}
        onChange={onCamera}
      />
    </>
  );
}
