import { useRef, type ReactNode, type RefObject } from "react";
import { ActionIcon, Group, Tooltip } from "@mantine/core";
import {
  IconBold,
  IconCode,
  IconItalic,
  IconLink,
  IconList,
  IconMoodSmile,
  IconPaperclip,
  IconQuote,
  IconSourceCode,
  IconStrikethrough,
} from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { EmojiPicker } from "./EmojiPicker.tsx";

const WRAP: Record<string, [string, string]> = {
  bold: ["**", "**"],
  italic: ["*", "*"],
  strike: ["~~", "~~"],
  code: ["`", "`"],
  block: ["```\n", "\n```"],
  link: ["[", "](https://)"],
};

interface Props {
  area: RefObject<HTMLTextAreaElement | null>;
  text: string;
  disabled: boolean | undefined;
  /** The new text and where the caret goes. */
  onChange: (next: string, caret: number) => void;
  onAttach: (files: FileList) => void;
}

/** The composer's toolbar: Markdown around the selection or before each line, an emoji at the caret, files to attach. */
export function ComposerToolbar({ area, text, disabled, onChange, onAttach }: Props) {
  const { t } = useTranslation("chat");
  const fileInput = useRef<HTMLInputElement>(null);

  const wrap = (kind: string) => {
    const el = area.current;
    const [a, b] = WRAP[kind] ?? ["", ""];
    const s = el?.selectionStart ?? text.length;
    const e = el?.selectionEnd ?? text.length;
    const next = text.slice(0, s) + a + text.slice(s, e) + b + text.slice(e);
    onChange(next, e + a.length);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(s + a.length, e + a.length);
    });
  };
  const prefixLines = (p: string) => {
    const next = text
      ? text
          .split("\n")
          .map((l) => p + l)
          .join("\n")
      : p;
    onChange(next, next.length);
    area.current?.focus();
  };

  const tool = (label: string, icon: ReactNode, onClick: () => void) => (
    <Tooltip label={label} withinPortal>
      <ActionIcon variant="subtle" color="gray" size="sm" onClick={onClick} aria-label={label} disabled={disabled}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );

  return (
    <Group gap={2} className="chat-toolbar">
      {tool(t("composer.bold"), <IconBold size={16} />, () => wrap("bold"))}
      {tool(t("composer.italic"), <IconItalic size={16} />, () => wrap("italic"))}
      {tool(t("composer.strike"), <IconStrikethrough size={16} />, () => wrap("strike"))}
      {tool(t("composer.code"), <IconCode size={16} />, () => wrap("code"))}
      {tool(t("composer.codeBlock"), <IconSourceCode size={16} />, () => wrap("block"))}
      {tool(t("composer.link"), <IconLink size={16} />, () => wrap("link"))}
      {tool(t("composer.quote"), <IconQuote size={16} />, () => prefixLines("> "))}
      {tool(t("composer.list"), <IconList size={16} />, () => prefixLines("- "))}
      <EmojiPicker
        onPick={(name) => {
          const pos = area.current?.selectionStart ?? text.length;
          // A custom emoji comes as `:name:` already.
          const ins = `${name.startsWith(":") ? name : `:${name}:`} `;
          onChange(text.slice(0, pos) + ins + text.slice(pos), pos + ins.length);
          area.current?.focus();
        }}
        target={(toggle) => tool(t("composer.emoji"), <IconMoodSmile size={16} />, toggle)}
      />
      {tool(t("composer.attach"), <IconPaperclip size={16} />, () => fileInput.current?.click())}
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        onChange={(e) => e.currentTarget.files && onAttach(e.currentTarget.files)}
        data-testid="file-input"
        aria-label={t("composer.attach")}
      />
    </Group>
  );
}
