import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { ActionIcon, Checkbox, CloseButton, Group, Progress, Text, Textarea, Tooltip } from "@mantine/core";
import {
  IconBold,
  IconCode,
  IconItalic,
  IconLink,
  IconList,
  IconMoodSmile,
  IconPaperclip,
  IconQuote,
  IconSend,
  IconSourceCode,
  IconStrikethrough,
} from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Attachment, ChatMessage } from "../shared/schemas.ts";
import { uploadFile } from "./api.ts";
import { suggestions, SuggestionList, tokenAt, type Suggestion } from "./Autocomplete.tsx";
import { EmojiPicker } from "./EmojiPicker.tsx";
import { useChatApi, useMembers, useSidebar } from "./hooks.ts";
import { sidebarRooms } from "./cache.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";
import type { SendInput } from "./useSend.ts";
import { commandSuggestions, CommandReplies, useSlashCommands } from "./integrations/slash.tsx";

interface Upload {
  id: string;
  name: string;
  progress: number;
  attachment: Attachment | null;
  error: string | null;
  abort: () => void;
}

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

const WRAP: Record<string, [string, string]> = {
  bold: ["**", "**"],
  italic: ["*", "*"],
  strike: ["~~", "~~"],
  code: ["`", "`"],
  block: ["```\n", "\n```"],
  link: ["[", "](https://)"],
};

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
  const api = useChatApi();
  const problem = useProblemText();
  const members = useMembers(roomId);
  const sidebar = useSidebar();
  const commands = useSlashCommands();
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [alsoInChannel, setAlsoInChannel] = useState(false);
  const [dragging, setDragging] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listId = useId();
  const lastTyping = useRef(0);
  const draftTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const loadedDraft = useRef<string | null>(null);

  // The room's draft (kept on the server, so it follows the person across devices).
  useEffect(() => {
    setText("");
    setUploads([]);
    loadedDraft.current = null;
    if (parentId) return;
    let live = true;
    api.draft(roomId).then(
      (d) => {
        if (!live) return;
        loadedDraft.current = d.text;
        setText((cur) => (cur === "" ? d.text : cur));
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [roomId, parentId, api]);

  // The draft is saved shortly after typing stops, and at once when leaving the room.
  const unsaved = useRef<{ roomId: string; text: string } | null>(null);
  const flushDraft = useCallback(() => {
    if (draftTimer.current) clearTimeout(draftTimer.current);
    draftTimer.current = null;
    const d = unsaved.current;
    unsaved.current = null;
    if (d && d.text !== loadedDraft.current) {
      loadedDraft.current = d.text;
      void api.saveDraft(d.roomId, d.text).catch(() => {});
    }
  }, [api]);
  const saveDraft = (next: string) => {
    if (parentId) return;
    unsaved.current = { roomId, text: next };
    if (draftTimer.current) clearTimeout(draftTimer.current);
    draftTimer.current = setTimeout(flushDraft, 800);
  };
  useEffect(() => flushDraft, [roomId, flushDraft]);

  const change = (next: string, pos: number) => {
    setText(next);
    setCaret(pos);
    setDismissed(false);
    setActive(0);
    saveDraft(next);
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

  const wrap = (kind: string) => {
    const el = area.current;
    const [a, b] = WRAP[kind] ?? ["", ""];
    const s = el?.selectionStart ?? text.length;
    const e = el?.selectionEnd ?? text.length;
    const next = text.slice(0, s) + a + text.slice(s, e) + b + text.slice(e);
    change(next, e + a.length);
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
    change(next, next.length);
    area.current?.focus();
  };

  const attach = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const id = crypto.randomUUID();
      const job = uploadFile(roomId, file, (f) =>
        setUploads((u) => u.map((x) => (x.id === id ? { ...x, progress: f } : x))),
      );
      setUploads((u) => [...u, { id, name: file.name, progress: 0, attachment: null, error: null, abort: job.abort }]);
      job.done.then(
        (r) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, progress: 1, attachment: r.attachment } : x))),
        (e: unknown) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, error: problem(e) } : x))),
      );
    }
  };

  const ready = uploads.filter((u) => u.attachment).map((u) => u.attachment!);
  const busy = uploads.some((u) => !u.attachment && !u.error);
  const submit = () => {
    if (busy || (!text.trim() && !ready.length)) return;
    onSend({
      text: text.trim(),
      attachments: ready,
      ...(parentId ? { parentId, alsoInChannel } : {}),
      ...(quote ? { quoteId: quote.id } : {}),
    });
    setText("");
    setUploads([]);
    onClearQuote?.();
    if (draftTimer.current) clearTimeout(draftTimer.current);
    unsaved.current = null;
    if (!parentId && loadedDraft.current) {
      loadedDraft.current = "";
      void api.saveDraft(roomId, "").catch(() => {});
    }
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
      attach(e.clipboardData.files);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) attach(e.dataTransfer.files);
  };

  const tool = (label: string, icon: ReactNode, onClick: () => void) => (
    <Tooltip label={label} withinPortal>
      <ActionIcon variant="subtle" color="gray" size="sm" onClick={onClick} aria-label={label} disabled={disabled}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );

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
      {uploads.map((u) => (
        <Group
          key={u.id}
          gap="xs"
          wrap="nowrap"
          data-testid="upload"
          data-state={u.error ? "failed" : u.attachment ? "done" : "uploading"}
        >
          <Text size="xs" style={{ flex: 1 }} truncate>
            {u.name}
          </Text>
          {u.error ? (
            <Text size="xs" c="red.8" role="alert">
              {u.error}
            </Text>
          ) : (
            <Progress value={u.progress * 100} w={120} aria-label={t("composer.uploading", { name: u.name })} />
          )}
          <CloseButton
            size="sm"
            aria-label={t("composer.removeFile", { name: u.name })}
            onClick={() => {
              u.abort();
              setUploads((all) => all.filter((x) => x.id !== u.id));
            }}
          />
        </Group>
      ))}
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
            change(text.slice(0, pos) + ins + text.slice(pos), pos + ins.length);
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
          onChange={(e) => e.currentTarget.files && attach(e.currentTarget.files)}
          data-testid="file-input"
          aria-label={t("composer.attach")}
        />
      </Group>
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
          <ActionIcon size="lg" onClick={submit} aria-label={t("composer.send")} disabled={disabled || busy}>
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
