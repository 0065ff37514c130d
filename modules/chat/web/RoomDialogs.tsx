import { useState } from "react";
import { Button, Group, Modal, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { PeoplePicker, type Picked } from "@ensemble/ui";
import { useTranslation } from "react-i18next";
import { useChatApi } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";
import { useEnterNewRoom } from "./useEnterNewRoom.ts";

/** The public channel directory, searchable; opening a channel lets one read it and join. */
export function DirectoryModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [query] = useDebouncedValue(q.trim(), 200);
  const dir = useQuery({
    queryKey: ["chat", "directory", query],
    queryFn: () => api.directory(query),
    enabled: opened,
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t("directory.title")} size="lg">
      <TextInput label={t("directory.search")} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus />
      <Stack gap={4} mt="sm">
        {dir.data?.items.length === 0 && <Text size="sm">{t("directory.none")}</Text>}
        {dir.data?.items.map((r) => (
          <UnstyledButton
            key={r.id}
            className="chat-directory-item"
            onClick={() => {
              onClose();
              navigate(`/chat/${r.id}`);
            }}
          >
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Text fw={600} size="sm">
                  #{r.slug}
                </Text>
                {r.topic && (
                  <Text size="xs" c="dimmed">
                    {r.topic}
                  </Text>
                )}
              </div>
              <Text size="xs" c="dimmed">
                {r.membership ? t("directory.joined") : t("room.members", { count: r.memberCount })}
              </Text>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
    </Modal>
  );
}

/** A direct message with one or more people (up to the limit of a group DM). */
export function DirectModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const { me } = useHost();
  const enter = useEnterNewRoom(onClose);
  const problem = useProblemText();
  const [picked, setPicked] = useState<Picked[]>([]);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      const room = await api.openDirect(picked.map((p) => p.id));
      await enter(room);
      setPicked([]);
    } catch (e) {
      setError(problem(e));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t("direct.title")}>
      <PeoplePicker
        label={t("direct.people")}
        value={picked}
        onChange={setPicked}
        nothingFound={t("direct.nobody")}
        exclude={[me.id]}
        maxValues={7}
        error={error}
        enabled={opened}
        autoFocus
      />
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button onClick={() => void submit()} disabled={!picked.length}>
          {t("direct.open")}
        </Button>
      </Group>
    </Modal>
  );
}
