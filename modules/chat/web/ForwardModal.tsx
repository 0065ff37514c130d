import { Modal, Select, Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import { sidebarRooms } from "./cache.ts";
import { roomLabel, useChatApi, useSidebar } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";
import { newClientKey } from "./pending.ts";

/** Forwards a message to another of the person's rooms. */
export function ForwardModal({ message, onClose }: { message: ChatMessage | null; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const { me } = useHost();
  const problem = useProblemText();
  const sidebar = useSidebar();
  const [target, setTarget] = useState<string | null>(null);
  const [key] = useState(newClientKey);
  const rooms = sidebarRooms(sidebar.data).filter((r) => r.id !== message?.roomId);
  const submit = async () => {
    if (!message || !target) return;
    try {
      // Same key for a retry of this forward; within the API's 100 characters (two ids take 73).
      await api.forward(message.id, target, `${key.slice(0, 8)}-${message.id}-${target}`);
      notifications.show({ message: t("message.forwardedTo") });
      onClose();
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
  };
  return (
    <Modal opened={!!message} onClose={onClose} title={t("message.forward")} centered>
      <Text size="sm" lineClamp={3} mb="sm">
        {message?.text}
      </Text>
      <Select
        label={t("message.forwardTo")}
        data={rooms.map((r) => ({ value: r.id, label: r.type === "dm" ? roomLabel(r, me.id) : `#${r.slug}` }))}
        value={target}
        onChange={setTarget}
        searchable
      />
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button onClick={() => void submit()} disabled={!target}>
          {t("message.forward")}
        </Button>
      </Group>
    </Modal>
  );
}
