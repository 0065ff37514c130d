import { useState, type ReactNode } from "react";
import type { Editor } from "@tiptap/react";
import { useEditorState } from "@tiptap/react";
import { useTranslation } from "react-i18next";
import { ActionIcon, Button, Group, Modal, Stack, TextInput, Tooltip } from "@mantine/core";
import {
  IconArrowBackUp,
  IconArrowForwardUp,
  IconBold,
  IconH1,
  IconH2,
  IconItalic,
  IconLink,
  IconList,
  IconListCheck,
  IconListNumbers,
} from "@tabler/icons-react";

function Tool(props: {
  label: string;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Tooltip label={props.label}>
      <ActionIcon
        variant={props.active ? "filled" : "subtle"}
        aria-label={props.label}
        aria-pressed={props.active ?? undefined}
        disabled={props.disabled}
        onClick={props.onClick}
      >
        {props.children}
      </ActionIcon>
    </Tooltip>
  );
}

/** The editor's toolbar: headings, bold/italic, lists, checklists, links, undo/redo (each also a keyboard shortcut). */
export function Toolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation("docs");
  const [linking, setLinking] = useState(false);
  const [href, setHref] = useState("");
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h1: e.isActive("heading", { level: 1 }),
      h2: e.isActive("heading", { level: 2 }),
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      tasks: e.isActive("taskList"),
      link: e.isActive("link"),
      undo: e.can().undo(),
      redo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  const saveLink = () => {
    const url = href.trim();
    if (url === "") chain().extendMarkRange("link").unsetLink().run();
    else if (/^(https?:|mailto:)/i.test(url)) chain().extendMarkRange("link").setLink({ href: url }).run();
    setLinking(false);
  };
  return (
    <Group gap={4} role="toolbar" aria-label={t("editor.toolbar")}>
      <Tool label={t("editor.h1")} active={s.h1} onClick={() => chain().toggleHeading({ level: 1 }).run()}>
        <IconH1 size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.h2")} active={s.h2} onClick={() => chain().toggleHeading({ level: 2 }).run()}>
        <IconH2 size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.bold")} active={s.bold} onClick={() => chain().toggleBold().run()}>
        <IconBold size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.italic")} active={s.italic} onClick={() => chain().toggleItalic().run()}>
        <IconItalic size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.bulletList")} active={s.bullet} onClick={() => chain().toggleBulletList().run()}>
        <IconList size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.orderedList")} active={s.ordered} onClick={() => chain().toggleOrderedList().run()}>
        <IconListNumbers size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.taskList")} active={s.tasks} onClick={() => chain().toggleTaskList().run()}>
        <IconListCheck size={18} aria-hidden />
      </Tool>
      <Tool
        label={t("editor.link")}
        active={s.link}
        onClick={() => {
          setHref((editor.getAttributes("link").href as string | undefined) ?? "");
          setLinking(true);
        }}
      >
        <IconLink size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.undo")} disabled={!s.undo} onClick={() => chain().undo().run()}>
        <IconArrowBackUp size={18} aria-hidden />
      </Tool>
      <Tool label={t("editor.redo")} disabled={!s.redo} onClick={() => chain().redo().run()}>
        <IconArrowForwardUp size={18} aria-hidden />
      </Tool>
      <Modal opened={linking} onClose={() => setLinking(false)} title={t("editor.link")}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            saveLink();
          }}
        >
          <Stack>
            <TextInput
              label={t("editor.linkUrl")}
              description={t("editor.linkHelp")}
              value={href}
              onChange={(e) => setHref(e.currentTarget.value)}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setLinking(false)}>
                {t("editor.cancel")}
              </Button>
              <Button type="submit">{t("editor.apply")}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}
