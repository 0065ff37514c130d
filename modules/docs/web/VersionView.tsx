import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import * as Y from "yjs";
import { EditorContent, useEditor } from "@tiptap/react";
import Collaboration from "@tiptap/extension-collaboration";
import { Loader, Paper, Stack, Text } from "@mantine/core";
import type { DiffLine } from "../shared/history.ts";
import { documentExtensions } from "./extensions.ts";

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** A version as the editor drew it, not editable: its own Yjs document, bound to nothing. */
export function VersionText({ state, label }: { state: string; label: string }) {
  const doc = useMemo(() => {
    const d = new Y.Doc();
    Y.applyUpdate(d, fromBase64(state));
    return d;
  }, [state]);
  useEffect(() => () => doc.destroy(), [doc]);
  const editor = useEditor(
    {
      extensions: [...documentExtensions(), Collaboration.configure({ document: doc, field: "body" })],
      editable: false,
      editorProps: {
        attributes: {
          "aria-label": label,
          "aria-readonly": "true",
          role: "textbox",
          class: "docs-editor docs-version",
        },
      },
    },
    [doc],
  );
  if (!editor) return <Loader aria-label={label} />;
  return (
    <Paper withBorder p="md">
      <EditorContent editor={editor} />
    </Paper>
  );
}

/** The comparison, line by line: removed lines struck on red, added ones on green, each also said in words. */
export function VersionDiffView({ lines }: { lines: readonly DiffLine[] }) {
  const { t } = useTranslation("docs");
  if (!lines.some((l) => l.change !== "same")) return <Text>{t("history.noChange")}</Text>;
  return (
    <Stack gap={2} component="ol" className="docs-diff" data-testid="docs-diff">
      {lines.map((l, i) => (
        <li key={i} data-change={l.change}>
          {l.change === "added" ? (
            <ins>
              <span className="docs-diff__said">{t("history.added")} : </span>
              {l.text}
            </ins>
          ) : l.change === "removed" ? (
            <del>
              <span className="docs-diff__said">{t("history.removed")} : </span>
              {l.text}
            </del>
          ) : (
            <span>{l.text}</span>
          )}
        </li>
      ))}
    </Stack>
  );
}
