import * as Y from "yjs";
import { BODY_FIELD } from "./export.ts";

/** A text's characters, its formatting dropped (XmlText.toString() would write the marks as tags). */
const runs = (t: Y.XmlText): string =>
  (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");

/** An element's text, its runs joined. */
function textOf(e: Y.XmlElement): string {
  return e
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? runs(c) : c instanceof Y.XmlElement && c.nodeName === "hardBreak" ? " " : ""))
    .join("");
}

function itemLines(list: Y.XmlElement, indent: string, marker: (i: number, item: Y.XmlElement) => string): string[] {
  return list.toArray().flatMap((item, i) => {
    if (!(item instanceof Y.XmlElement)) return [];
    const [first = "", ...rest] = item.toArray().flatMap((c) => linesOf(c, `${indent}  `));
    return [`${indent}${marker(i, item)}${first.trimStart()}`, ...rest];
  });
}

function linesOf(n: Y.XmlElement | Y.XmlText | Y.XmlHook, indent: string): string[] {
  if (!(n instanceof Y.XmlElement)) return n instanceof Y.XmlText ? [indent + runs(n)] : [];
  switch (n.nodeName) {
    case "bulletList":
      return itemLines(n, indent, () => "• ");
    case "orderedList":
      return itemLines(n, indent, (i) => `${i + 1}. `);
    case "taskList":
      return itemLines(n, indent, (_i, item) => (String(item.getAttribute("checked")) === "true" ? "☑ " : "☐ "));
    case "blockquote":
      return n.toArray().flatMap((c) => linesOf(c, `${indent}│ `));
    case "codeBlock":
      return textOf(n)
        .split("\n")
        .map((l) => indent + l);
    case "horizontalRule":
      return [`${indent}———`];
    default:
      return [indent + textOf(n)];
  }
}

/**
 * The document as lines of plain text, one per block (list items marked •,
 * 1., ☐/☑): what the history compares, so a change of words shows as the
 * lines it touched, without markup in the way. Empty blocks are left out.
 */
export function plainLines(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(BODY_FIELD)
    .toArray()
    .flatMap((n) => linesOf(n, ""))
    .filter((l) => l.trim() !== "");
}
