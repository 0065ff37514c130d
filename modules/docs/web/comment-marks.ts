import * as Y from "yjs";
import { Extension, type Editor } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from "@tiptap/y-tiptap";
import type { DocThread } from "../shared/comments.ts";

/** What the Collaboration extension's sync plugin keeps: the Yjs document, its body and the Yjs ↔ ProseMirror map. */
interface YSyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Parameters<typeof absolutePositionToRelativePosition>[2] };
}

const commentMarksKey = new PluginKey<DecorationSet>("docsCommentMarks");

/** Draws the open threads' ranges in the editor (decorations: they are not part of the shared text). */
export const CommentMarks = Extension.create({
  name: "docsCommentMarks",
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: commentMarksKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, old) => (tr.getMeta(commentMarksKey) as DecorationSet | undefined) ?? old.map(tr.mapping, tr.doc),
        },
        props: { decorations: (state) => commentMarksKey.getState(state) },
      }),
    ];
  },
});

const ysync = (editor: Editor) => ySyncPluginKey.getState(editor.state) as YSyncState | undefined;
const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const fromB64 = (s: string) => Y.decodeRelativePosition(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));

/**
 * The selection as a comment's anchors: Yjs relative positions, the start
 * before its first character and the end sticking to its last one (so words
 * typed just after the range stay outside it). Null for an empty selection.
 */
export function selectionAnchors(editor: Editor): { start: string; end: string; quote: string } | null {
  const y = ysync(editor);
  const { from, to, empty } = editor.state.selection;
  if (!y || empty) return null;
  const start = absolutePositionToRelativePosition(from, y.type, y.binding.mapping) as Y.RelativePosition;
  const endRight = absolutePositionToRelativePosition(to, y.type, y.binding.mapping) as Y.RelativePosition;
  const endAbs = Y.createAbsolutePositionFromRelativePosition(endRight, y.doc);
  if (!endAbs) return null;
  const end = Y.createRelativePositionFromTypeIndex(endAbs.type, endAbs.index, -1);
  return {
    start: toB64(Y.encodeRelativePosition(start)),
    end: toB64(Y.encodeRelativePosition(end)),
    quote: editor.state.doc.textBetween(from, to, " ").slice(0, 2000),
  };
}

/** Highlights the open threads' ranges where they stand now (`active`: the one being read). */
export function showThreads(editor: Editor, threads: readonly DocThread[], active: string | null): void {
  const y = ysync(editor);
  if (!y || editor.isDestroyed) return;
  const marks: Decoration[] = [];
  for (const t of threads) {
    if (t.resolved) continue;
    const from = relativePositionToAbsolutePosition(y.doc, y.type, fromB64(t.anchor.start), y.binding.mapping);
    const to = relativePositionToAbsolutePosition(y.doc, y.type, fromB64(t.anchor.end), y.binding.mapping);
    if (from === null || to === null || to <= from) continue;
    marks.push(
      Decoration.inline(from, to, {
        class: t.id === active ? "docs-comment docs-comment--active" : "docs-comment",
        "data-thread": t.id,
      }),
    );
  }
  editor.view.dispatch(
    editor.state.tr
      .setMeta(commentMarksKey, DecorationSet.create(editor.state.doc, marks))
      .setMeta("addToHistory", false),
  );
}
