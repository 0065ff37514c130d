import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useEditor, EditorContent } from "@tiptap/react";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { IconHistory } from "@tabler/icons-react";
import {
  Alert,
  Anchor,
  Avatar,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { initials, useWebHost } from "@ensemble/ui";
import type { FolderListing } from "@ensemble/files/shared";
import { DOC_EXTENSION, isDocumentName } from "../shared/documents.ts";
import { colourOf, useCollabSession, useCollabState, type CollabSession } from "./collab-session.ts";
import { Toolbar } from "./Toolbar.tsx";
import { documentExtensions } from "./extensions.ts";
import { HistoryPanel } from "./HistoryPanel.tsx";
import { CommentsPanel } from "./CommentsPanel.tsx";
import { CommentMarks } from "./comment-marks.ts";
import "./editor.css";

/** The TipTap editor bound to the shared document; carets carry the person's name and colour. */
function Editor({
  docId,
  session,
  readOnly,
  label,
}: {
  docId: string;
  session: CollabSession;
  readOnly: boolean;
  label: string;
}) {
  const host = useWebHost();
  const me = host.me;
  const editor = useEditor(
    {
      extensions: [
        // Undo and redo are Yjs's (each person undoes their own changes).
        ...documentExtensions(),
        CommentMarks,
        Collaboration.configure({ document: session.doc, field: "body" }),
        CollaborationCaret.configure({
          provider: session.provider,
          user: { name: me.displayName, color: colourOf(me.id) },
        }),
      ],
      editable: !readOnly,
      editorProps: {
        attributes: { "aria-label": label, "aria-multiline": "true", role: "textbox", class: "docs-editor" },
      },
    },
    [session],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  if (!editor) return <Loader aria-label={label} />;
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="xs">
          {!readOnly && <Toolbar editor={editor} />}
          <Paper withBorder p="md">
            <EditorContent editor={editor} />
          </Paper>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <CommentsPanel docId={docId} editor={editor} session={session} />
      </Grid.Col>
    </Grid>
  );
}

/** A document: its name, who is here, whether it is saved, and the editor. */
export function DocumentPage() {
  const { t } = useTranslation("docs");
  const host = useWebHost();
  const id = useParams().id ?? "";
  const [file, setFile] = useState<{ name: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [history, setHistory] = useState(false);
  const session = useCollabSession(id);
  const state = useCollabState(session);
  useEffect(() => {
    let live = true;
    host
      .api<FolderListing>("GET", `/api/files/nodes/${id}`)
      .then((l) => {
        if (!live) return;
        if (l.folder.kind !== "file" || !isDocumentName(l.folder.name)) setProblem(t("problems.docs_not_a_document"));
        else setFile({ name: l.folder.name.slice(0, -DOC_EXTENSION.length) });
      })
      .catch(() => live && setProblem(t("editor.notFound")));
    return () => {
      live = false;
    };
  }, [host, id, t]);

  if (problem || state.denied)
    return (
      <Stack>
        <Title order={1}>{t("page.title")}</Title>
        <Alert color="red" role="alert">
          {problem ?? t("editor.notFound")}
        </Alert>
      </Stack>
    );
  const saveText = t(`editor.save.${state.save}`);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{file?.name ?? t("editor.loading")}</Title>
        <Group gap="sm">
          {state.readOnly && <Badge color="gray">{t("editor.readOnly")}</Badge>}
          <Button
            variant="default"
            size="xs"
            leftSection={<IconHistory size={16} aria-hidden />}
            onClick={() => setHistory(true)}
          >
            {t("history.open")}
          </Button>
          <Anchor href={`/api/docs/${id}/export?format=md`} download size="sm">
            {t("editor.exportMd")}
          </Anchor>
          <Anchor href={`/api/docs/${id}/export?format=html`} download size="sm">
            {t("editor.exportHtml")}
          </Anchor>
          <Text size="sm" c="dimmed" role="status" data-testid="docs-save-state" data-state={state.save}>
            {saveText}
          </Text>
          <Tooltip.Group>
            <Avatar.Group aria-label={t("editor.here")} role="list">
              {state.participants.map((p) => (
                <Tooltip key={p.clientId} label={p.name}>
                  <Avatar
                    role="listitem"
                    aria-label={p.name}
                    style={{ backgroundColor: p.color }}
                    color="white"
                    radius="xl"
                  >
                    {initials(p.name)}
                  </Avatar>
                </Tooltip>
              ))}
            </Avatar.Group>
          </Tooltip.Group>
        </Group>
      </Group>
      {session && file ? (
        <Editor docId={id} session={session} readOnly={state.readOnly} label={t("editor.label", { name: file.name })} />
      ) : (
        <Loader aria-label={t("editor.loading")} />
      )}
      <HistoryPanel docId={id} opened={history} onClose={() => setHistory(false)} />
    </Stack>
  );
}
