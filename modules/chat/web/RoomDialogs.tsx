import { useState } from "react";
import {
  Button,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { keys } from "./cache.ts";
import { useChatApi } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";

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

/** A new public channel or private group. */
export function CreateRoomModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const problem = useProblemText();
  const [type, setType] = useState<"channel" | "private">("channel");
  const [slug, setSlug] = useState("");
  const [topic, setTopic] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      const room = await api.createRoom({ type, slug: slug.trim().toLowerCase(), topic });
      await qc.invalidateQueries({ queryKey: keys.sidebar });
      onClose();
      setSlug("");
      setTopic("");
      setError(null);
      navigate(`/chat/${room.id}`);
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
            label={t("create.slug")}
            description={t("create.slugHelp")}
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            required
            data-autofocus
            error={error}
          />
          <TextInput label={t("create.topic")} value={topic} onChange={(e) => setTopic(e.currentTarget.value)} />
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

/** A direct message with one or more people (up to the limit of a group DM). */
export function DirectModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const qc = useQueryClient();
  const { me } = useHost();
  const navigate = useNavigate();
  const problem = useProblemText();
  const [search, setSearch] = useState("");
  const [query] = useDebouncedValue(search.trim(), 200);
  const [picked, setPicked] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const people = useQuery({ queryKey: ["chat", "people", query], queryFn: () => api.people(query), enabled: opened });
  const options = [
    ...picked,
    ...(people.data?.items ?? [])
      .filter((p) => p.id !== me.id && !picked.some((x) => x.value === p.id))
      .map((p) => ({ value: p.id, label: `${p.displayName} (@${p.username})` })),
  ];
  const submit = async () => {
    try {
      const room = await api.openDirect(picked.map((p) => p.value));
      await qc.invalidateQueries({ queryKey: keys.sidebar });
      onClose();
      setPicked([]);
      navigate(`/chat/${room.id}`);
    } catch (e) {
      setError(problem(e));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t("direct.title")}>
      <MultiSelect
        label={t("direct.people")}
        data={options}
        value={picked.map((p) => p.value)}
        onChange={(ids) => setPicked(ids.map((id) => options.find((o) => o.value === id)!).filter(Boolean))}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options: o }) => o}
        maxValues={7}
        error={error}
        data-autofocus
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
