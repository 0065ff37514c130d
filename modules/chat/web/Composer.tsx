import { useEffect, useId, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from "react";
import { ActionIcon, Checkbox, CloseButton, Group, Text, Textarea } from "@mantine/core";
import { IconSend } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import { suggestions, SuggestionList, tokenAt, type Suggestion } from "./Autocomplete.tsx";
import { ComposerToolbar } from "./ComposerToolbar.tsx";
import { UploadList, useUploads } from "./ComposerUploads.tsx";
import { useMembers, useSidebar } from "./hooks.ts";
import { sidebarRooms } from "./cache.ts";
import { useHost } from "./host.tsx";
import type { SendInput } from "./useSend.ts";
import { useComposerDraft } from "./useComposerDraft.ts";
import { commandSuggestions, CommandReplies, useSlashCommands } from "./integrations/slash.tsx";

interface Props {
  roomId: string;
  parentId?: string;
  placeholder: string;
  disabled?: boolean;
  onSend: (input: SendInput) => void;
  onEditLast?: () => void;
  onEscape?: () => void;
  quote?: ChatMessage | null;
  onClearQuote?: () => void;
}

/**
 * The composer: Enter sends, Shift+Enter adds a line, Up edits the last own
 * message, Esc marks the room read; @ # : autocomplete; files by button,
 * drop or paste with upload progress; the room's draft is kept on the server.
 */
export function Composer({
  roomId,
  parentId,
  placeholder,
  disabled,
  onSend,
  onEditLast,
  onEscape,
  quote,
  onClearQuote,
}: Props) {
  const { t } = useTranslation("chat");
  const host = useHost();
  const members = useMembers(roomId);
  const sidebar = useSidebar();
  const commands = useSlashCommands();
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [alsoInChannel, setAlsoInChannel] = useState(false);
  const [dragging, setDragging] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const lastTyping = useRef(0);
  useEffect(() => setText(""), [roomId, parentId]);
  const draft = useComposerDraft(roomId, parentId, setText);
  const files = useUploads(roomId, parentId);

  const change = (next: string, pos: number) => {
    setText(next);
    setCaret(pos);
    setDismissed(false);
    setActive(0);
    draft.save(next);
    const now = Date.now();
    if (next && now - lastTyping.current > 3_000) {
      lastTyping.current = now;
      host.typing(`room:${roomId}`);
    }
  };

  const tok = dismissed ? null : tokenAt(text, caret);
  // A slash command is typed at the very start of the message.
  const slash = dismissed ? [] : commandSuggestions(text, caret, commands);
  const items: Suggestion[] = slash.length
    ? slash
    : suggestions(tok, members.list, sidebarRooms(sidebar.data), host.me.id);

  const pick = (s: Suggestion) => {
    const start = slash.length ? 0 : tok?.start;
    if (start === undefined) return;
    const next = text.slice(0, start) + s.insert + text.slice(caret);
    const pos = start + s.insert.length;
    change(next, pos);
    requestAnimationFrame(() => area.current?.setSelectionRange(pos, pos));
  };

  const submit = () => {
    if (files.busy || (!text.trim() && !files.ready.length)) return;
    onSend({
      text: text.trim(),
      attachments: files.ready,
      ...(parentId ? { parentId, alsoInChannel } : {}),
      ...(quote ? { quoteId: quote.id } : {}),
    });
    setText("");
    files.clear();
    onClearQuote?.();
    draft.clear();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (items.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        setActive((i) => (i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        pick(items[active] ?? items[0]!);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissed(true);
        return;
      }
    }
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape") {
      onEscape?.();
    } else if (e.key === "ArrowUp" && !e.altKey && text === "" && onEditLast) {
      e.preventDefault();
      onEditLast();
    }
  };

  const onPaste = (e: ClipboardEvent) => {
    if (e.clipboardData.files.length) {
      e.preventDefault();
      files.attach(e.clipboardData.files);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) files.attach(e.dataTransfer.files);
  };

  return (
    <div
      className={`chat-composer${dragging ? " chat-dragging" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <CommandReplies roomId={roomId} {...(parentId ? { parentId } : {})} />
      {quote && (
        <Group gap="xs" className="chat-quote" wrap="nowrap">
          <Text size="xs" lineClamp={2} style={{ flex: 1 }}>
            {t("composer.quoting", { name: quote.author?.displayName ?? "" })} — {quote.text}
          </Text>
          <CloseButton size="sm" onClick={onClearQuote} aria-label={t("composer.removeQuote")} />
        </Group>
      )}
      <UploadList uploads={files.uploads} onRemove={files.remove} />
      <ComposerToolbar area={area} text={text} disabled={disabled} onChange={change} onAttach={files.attach} />
      <div style={{ position: "relative" }}>
        <SuggestionList id={listId} items={items} active={active} onPick={pick} />
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <Textarea
            ref={area}
            style={{ flex: 1 }}
            value={text}
            onChange={(e) => change(e.currentTarget.value, e.currentTarget.selectionStart)}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={onKey}
            onPaste={onPaste}
            placeholder={placeholder}
            aria-label={placeholder}
            autosize
            minRows={1}
            maxRows={10}
            disabled={disabled}
            data-testid="composer"
            role="combobox"
            aria-expanded={items.length > 0}
            aria-controls={items.length ? listId : undefined}
            aria-autocomplete="list"
            aria-activedescendant={items.length ? `${listId}-${active}` : undefined}
          />
          <ActionIcon size="lg" onClick={submit} aria-label={t("composer.send")} disabled={disabled || files.busy}>
            <IconSend size={18} aria-hidden="true" />
          </ActionIcon>
        </Group>
      </div>
      {parentId && (
        <Checkbox
          size="xs"
          mt={4}
          checked={alsoInChannel}
          onChange={(e) => setAlsoInChannel(e.currentTarget.checked)}
          label={t("thread.alsoInChannel")}
        />
      )}
    </div>
  );
}
