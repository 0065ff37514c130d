import * as Y from "yjs";
import { AppError } from "@ensemble/kernel";
import { BODY_FIELD } from "./export.ts";

/** A relative position from the wire, or null when the bytes are not one. */
export function decodeAnchor(base64: string): Uint8Array | null {
  const bytes = new Uint8Array(Buffer.from(base64, "base64"));
  try {
    Y.decodeRelativePosition(bytes);
    return bytes;
  } catch {
    return null;
  }
}

/** Whether `type` is the document's body or inside it (a comment anchors in the text, nowhere else). */
function inBody(doc: Y.Doc, type: Y.AbstractType<unknown>): boolean {
  const body = doc.getXmlFragment(BODY_FIELD);
  for (let t: Y.AbstractType<unknown> | null = type; t; t = (t._item?.parent as Y.AbstractType<unknown> | null) ?? null)
    if (t === body) return true;
  return false;
}

const textOf = (t: Y.XmlText): string =>
  (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");

/**
 * The words a range covers now: the anchors resolved in the current document.
 * Null when they no longer stand in order in one paragraph (its words all
 * deleted). A range across paragraphs gives its first paragraph's part onward.
 */
export function coveredText(doc: Y.Doc, start: Uint8Array, end: Uint8Array): string | null {
  const a = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(start), doc);
  const b = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(end), doc);
  if (!a || !(a.type instanceof Y.XmlText)) return null;
  const text = textOf(a.type);
  if (b && b.type === a.type) return b.index > a.index ? text.slice(a.index, b.index) : null;
  return a.index < text.length ? text.slice(a.index) : null;
}

/** Refuses anchors that are not relative positions into this document's text (400 `docs_bad_anchor`). */
export function checkAnchors(doc: Y.Doc, start: string, end: string): { start: Uint8Array; end: Uint8Array } {
  const s = decodeAnchor(start);
  const e = decodeAnchor(end);
  if (!s || !e) throw new AppError("docs_bad_anchor", "the anchors are not Yjs relative positions");
  for (const bytes of [s, e]) {
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), doc);
    if (!abs || !inBody(doc, abs.type as Y.AbstractType<unknown>))
      throw new AppError("docs_bad_anchor", "an anchor is not in this document's text");
  }
  return { start: s, end: e };
}
