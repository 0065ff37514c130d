import { useState } from "react";
import { Button, Group, Modal, SegmentedControl, Stack, TextInput } from "@mantine/core";
import { PeoplePicker, type Picked } from "@ensemble/ui";
import { useTranslation } from "react-i18next";
import { slugFromName } from "../shared/slug.ts";
import { useChatApi } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";
import { useEnterNewRoom } from "./useEnterNewRoom.ts";

/**
 * A new public channel or private group, named as a person would
 * (« Projet Salon »): the server derives its address (`#projet-salon`),
 * shown here as it is typed. People can be added at once.
 */
export function CreateRoomModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const { me } = useHost();
  const enter = useEnterNewRoom(onClose);
  const problem = useProblemText();
  const [type, setType] = useState<"channel" | "private">("channel");
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [people, setPeople] = useState<Picked[]>([]);
  const [error, setError] = useState<string | null>(null);
  const slug = slugFromName(name);
  const reset = () => {
    setName("");
    setTopic("");
    setPeople([]);
    setError(null);
  };
  const submit = async () => {
    if (!slug) {
      setError(t("create.nameInvalid"));
      return;
    }
    try {
      const room = await api.createRoom({ type, name: name.trim(), topic, memberIds: people.map((p) => p.id) });
      await enter(room);
      reset();
    } catch (e) {
      setError(problem(e));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t("create.title")}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <SegmentedControl
            value={type}
            onChange={(v) => setType(v as "channel" | "private")}
            data={[
              { value: "channel", label: t("create.channel") },
              { value: "private", label: t("create.private") },
            ]}
          />
          <TextInput
            label={t("create.name")}
            description={slug ? t("create.address", { slug }) : t("create.nameHelp")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={80}
            required
            data-autofocus
            error={error}
          />
          <TextInput label={t("create.topic")} value={topic} onChange={(e) => setTopic(e.currentTarget.value)} />
          <PeoplePicker
            label={t("create.people")}
            value={people}
            onChange={setPeople}
            nothingFound={t("direct.nobody")}
            exclude={[me.id]}
            enabled={opened}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit">{t("create.submit")}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
