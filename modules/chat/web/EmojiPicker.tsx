import { useId, useState, type ReactElement } from "react";
import { Popover, ScrollArea, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { EMOJI_GROUPS } from "./emoji.ts";
import { CustomEmojiImage, useCustomEmoji } from "./emoji/custom-emoji.tsx";
import { onEmojiGridKey } from "./emojiGridKeys.ts";

/**
 * The bundled emoji in groups, then the organisation's custom ones, with a
 * filter; `onPick` gets the shortcode name of a bundled emoji and `:name:`
 * for a custom one (the form reactions take). A named dialog: the filter, then
 * the grid as one Tab stop walked with the arrow keys; on closing, the focus
 * returns to the button that opened it.
 */
export function EmojiPicker({
  target,
  onPick,
  onOpenChange,
}: {
  target: (toggle: () => void, opened: boolean) => ReactElement;
  onPick: (name: string) => void;
  onOpenChange?: (opened: boolean) => void;
}) {
  const { t } = useTranslation("chat");
  const [opened, setOpenedState] = useState(false);
  const setOpened = (o: boolean | ((was: boolean) => boolean)) =>
    setOpenedState((was) => {
      const next = typeof o === "function" ? o(was) : o;
      onOpenChange?.(next);
      return next;
    });
  const titleId = useId();
  const [q, setQ] = useState("");
  const filter = q.trim().toLowerCase().replace(/:/g, "");
  const custom = useCustomEmoji().filter((e) => !filter || e.name.includes(filter));
  // The grid is one Tab stop: its first emoji, until the arrow keys move it (emojiGridKeys.ts).
  let firstStop = true;
  const stop = () => {
    const first = firstStop;
    firstStop = false;
    return first ? 0 : -1;
  };
  const pick = (name: string) => {
    onPick(name);
    setOpened(false);
    setQ("");
  };
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      width={300}
      position="top-end"
      withinPortal
      trapFocus
      returnFocus
      shadow="md"
    >
      <Popover.Target>{target(() => setOpened((o) => !o), opened)}</Popover.Target>
      <Popover.Dropdown p="xs" data-testid="emoji-picker" aria-labelledby={titleId}>
        <span id={titleId} className="visually-hidden">
          {t("emoji.title")}
        </span>
        <TextInput
          size="xs"
          placeholder={t("emoji.search")}
          aria-label={t("emoji.search")}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          mb={6}
          data-autofocus
        />
        <ScrollArea.Autosize mah={240} onKeyDown={onEmojiGridKey}>
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
                      tabIndex={stop()}
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
                    tabIndex={stop()}
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
