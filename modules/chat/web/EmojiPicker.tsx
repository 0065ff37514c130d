import { useState, type ReactElement } from "react";
import { Popover, ScrollArea, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { EMOJI_GROUPS } from "./emoji.ts";
import { CustomEmojiImage, useCustomEmoji } from "./emoji/custom-emoji.tsx";

/**
 * The bundled emoji in groups, then the organisation's custom ones, with a
 * filter; `onPick` gets the shortcode name of a bundled emoji and `:name:`
 * for a custom one (the form reactions take).
 */
export function EmojiPicker({
  target,
  onPick,
}: {
  target: (toggle: () => void, opened: boolean) => ReactElement;
  onPick: (name: string) => void;
}) {
  const { t } = useTranslation("chat");
  const [opened, setOpened] = useState(false);
  const [q, setQ] = useState("");
  const filter = q.trim().toLowerCase().replace(/:/g, "");
  const custom = useCustomEmoji().filter((e) => !filter || e.name.includes(filter));
  const pick = (name: string) => {
    onPick(name);
    setOpened(false);
    setQ("");
  };
  return (
    <Popover opened={opened} onChange={setOpened} width={300} position="top-end" withinPortal trapFocus shadow="md">
      <Popover.Target>{target(() => setOpened((o) => !o), opened)}</Popover.Target>
      <Popover.Dropdown p="xs" data-testid="emoji-picker">
        <TextInput
          size="xs"
          placeholder={t("emoji.search")}
          aria-label={t("emoji.search")}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          mb={6}
          data-autofocus
        />
        <ScrollArea.Autosize mah={240}>
          {EMOJI_GROUPS.map((g) => {
            const seen = new Set<string>();
            const items = g.items.filter(
              ([name, ch]) => (!filter || name.includes(filter)) && !seen.has(ch) && seen.add(ch),
            );
            if (!items.length) return null;
            return (
              <div key={g.key} role="group" aria-label={t(`emoji.groups.${g.key}`)}>
                <Text size="xs" c="dimmed" fw={600} mt={4}>
                  {t(`emoji.groups.${g.key}`)}
                </Text>
                <div className="chat-emoji-grid">
                  {items.map(([name, ch]) => (
                    <UnstyledButton
                      key={name}
                      className="chat-emoji-button"
                      title={`:${name}:`}
                      aria-label={`:${name}:`}
                      onClick={() => pick(name)}
                    >
                      {ch}
                    </UnstyledButton>
                  ))}
                </div>
              </div>
            );
          })}
          {custom.length > 0 && (
            <div role="group" aria-label={t("emoji.groups.custom")} data-testid="emoji-custom">
              <Text size="xs" c="dimmed" fw={600} mt={4}>
                {t("emoji.groups.custom")}
              </Text>
              <div className="chat-emoji-grid">
                {custom.map((e) => (
                  <UnstyledButton
                    key={e.name}
                    className="chat-emoji-button"
                    title={`:${e.name}:`}
                    aria-label={`:${e.name}:`}
                    onClick={() => pick(`:${e.name}:`)}
                  >
                    <CustomEmojiImage emoji={e} size="large" />
                  </UnstyledButton>
                ))}
              </div>
            </div>
          )}
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
