import { useEffect, useId, useMemo, useState, type KeyboardEvent } from "react";
import { Avatar, Group, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { manifests, searchTypeText } from "../modules/manifests.ts";
import type { SearchAnswer, SearchHit } from "@ensemble/protocol/wire/search";

/** A row of the list: a hit from the server, or one of the modules' actions (no snippet, no data). */
type Hit = Pick<SearchHit, "type" | "id" | "title" | "url"> & { snippet: string | null; data?: SearchHit["data"] };
type Answer = SearchAnswer;

const ACTIONS = manifests.flatMap((m) => (m.actions ?? []).map((a) => ({ ns: m.name, ...a })));
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * Global search (Ctrl/Cmd+K): one box over every service's provider, results
 * grouped by type, arrows to move, Enter to open the result in place.
 */
export default function SearchDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const listId = useId();
  const [q, setQ] = useState("");
  const [query] = useDebouncedValue(q.trim(), 200);
  const [active, setActive] = useState(0);
  const search = useQuery({
    queryKey: ["search", query],
    queryFn: () => get<Answer>(`/api/search?q=${encodeURIComponent(query)}&limit=20`),
    enabled: opened && query.length >= 2,
    staleTime: 10_000,
  });
  // The modules' actions whose label contains what was typed come first.
  const actions = useMemo<Hit[]>(
    () =>
      q.trim()
        ? ACTIONS.map((a) => ({
            type: "action",
            id: `${a.ns}:${a.id}`,
            title: t(a.label, { ns: a.ns }),
            snippet: null,
            url: a.path,
          })).filter((a) => fold(a.title).includes(fold(q.trim())))
        : [],
    [q, t],
  );
  const groups = useMemo(
    () => [
      ...(actions.length ? [{ type: "action", items: actions }] : []),
      ...(search.data?.groups.filter((g) => g.items.length > 0) ?? []),
    ],
    [actions, search.data],
  );
  const flat = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  useEffect(() => setActive(0), [search.data]);
  useEffect(() => {
    if (!opened) setQ("");
  }, [opened]);

  const open = (hit: Hit | undefined) => {
    if (!hit) return;
    onClose();
    // A provider may return a hit with no page of its own.
    if (hit.url) navigate(hit.url);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown") setActive((i) => Math.min(flat.length - 1, i + 1));
    else if (e.key === "ArrowUp") setActive((i) => Math.max(0, i - 1));
    else if (e.key === "Enter") open(flat[active]);
    else return;
    e.preventDefault();
  };
  const typeLabel = (type: string) => {
    const own = searchTypeText(type);
    if (own) return t(own.key, { ns: own.ns });
    return i18n.exists(`search.types.${type}`) ? t(`search.types.${type}`) : t("search.types.other");
  };
  const optionId = (i: number) => `${listId}-opt-${i}`;
  let index = -1;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t("search.title")}
      size="lg"
      closeButtonProps={{ "aria-label": t("app.close") }}
    >
      <Stack>
        <TextInput
          data-autofocus
          leftSection={<IconSearch size={18} aria-hidden="true" />}
          aria-label={t("search.label")}
          placeholder={t("search.placeholder")}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={onKey}
          role="combobox"
          aria-expanded={flat.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={flat.length ? optionId(active) : undefined}
        />
        <ProblemAlert error={search.error} />
        <Text size="sm" c="dimmed" aria-live="polite">
          {query.length < 2
            ? actions.length
              ? t("search.results", { count: flat.length })
              : t("search.typeToSearch")
            : search.data &&
              (flat.length ? t("search.results", { count: flat.length }) : t("search.empty", { q: query }))}
        </Text>
        <ScrollArea.Autosize mah={420}>
          <div id={listId} role="listbox" aria-label={t("search.title")}>
            {groups.map((g) => (
              <div key={g.type} role="group" aria-label={typeLabel(g.type)}>
                <Text fw={700} size="sm" mt="sm" mb={4} aria-hidden="true">
                  {typeLabel(g.type)}
                </Text>
                {g.items.map((hit) => {
                  index += 1;
                  const i = index;
                  return (
                    <UnstyledButton
                      key={`${hit.type}:${hit.id}`}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === active}
                      tabIndex={-1}
                      onMouseEnter={() => setActive(i)}
                      onClick={() => open(hit)}
                      w="100%"
                      p="xs"
                      style={{
                        borderRadius: 8,
                        background: i === active ? "var(--mantine-color-brand-light)" : undefined,
                      }}
                    >
                      <Group gap="sm" wrap="nowrap">
                        {g.type === "people" && (
                          <Avatar
                            src={hit.data?.hasAvatar ? `/api/users/${hit.id}/avatar` : null}
                            size={28}
                            radius="xl"
                            alt=""
                          />
                        )}
                        <div>
                          <Text size="sm" fw={500}>
                            {hit.title}
                          </Text>
                          {hit.snippet && (
                            <Text size="xs" c="dimmed">
                              {hit.snippet}
                            </Text>
                          )}
                        </div>
                      </Group>
                    </UnstyledButton>
                  );
                })}
              </div>
            ))}
          </div>
        </ScrollArea.Autosize>
      </Stack>
    </Modal>
  );
}
