import * as Y from "yjs";

/** The document's rich text as ProseMirror stores it in Yjs (TipTap's Collaboration `field`). */
export const BODY_FIELD = "body";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const safeHref = (href: unknown): string | null =>
  typeof href === "string" && /^(https?:|mailto:)/i.test(href) ? href : null;

interface Run {
  insert: string;
  attributes?: Record<string, unknown>;
}
const runsOf = (t: Y.XmlText) => t.toDelta() as Run[];

function inlineHtml(t: Y.XmlText): string {
  return runsOf(t)
    .map(({ insert, attributes: a = {} }) => {
      let s = escapeHtml(insert);
      if (a.code) s = `<code>${s}</code>`;
      if (a.bold) s = `<strong>${s}</strong>`;
      if (a.italic) s = `<em>${s}</em>`;
      if (a.strike) s = `<s>${s}</s>`;
      if (a.underline) s = `<u>${s}</u>`;
      const href = safeHref((a.link as { href?: unknown } | undefined)?.href);
      if (href) s = `<a href="${escapeHtml(href)}">${s}</a>`;
      return s;
    })
    .join("");
}

const blockHtml: Record<string, (e: Y.XmlElement, inner: string) => string> = {
  paragraph: (_e, i) => `<p>${i}</p>`,
  heading: (e, i) => {
    const level = Math.min(6, Math.max(1, Number(e.getAttribute("level")) || 1));
    return `<h${level}>${i}</h${level}>`;
  },
  bulletList: (_e, i) => `<ul>${i}</ul>`,
  orderedList: (_e, i) => `<ol>${i}</ol>`,
  listItem: (_e, i) => `<li>${i}</li>`,
  taskList: (_e, i) => `<ul data-type="taskList">${i}</ul>`,
  taskItem: (e, i) =>
    `<li data-type="taskItem" data-checked="${String(e.getAttribute("checked")) === "true" ? "true" : "false"}">${i}</li>`,
  blockquote: (_e, i) => `<blockquote>${i}</blockquote>`,
  codeBlock: (_e, i) => `<pre><code>${i}</code></pre>`,
  horizontalRule: () => "<hr>",
  hardBreak: () => "<br>",
};

function nodeHtml(n: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (n instanceof Y.XmlText) return inlineHtml(n);
  if (!(n instanceof Y.XmlElement)) return "";
  const inner = n.toArray().map(nodeHtml).join("");
  return (blockHtml[n.nodeName] ?? ((_e, i) => i))(n, inner);
}

/** The document as an HTML fragment: only the elements the editor makes, text escaped, links http(s) or mailto. */
export function toHtml(doc: Y.Doc): string {
  return doc.getXmlFragment(BODY_FIELD).toArray().map(nodeHtml).join("\n");
}

const mdEscape = (s: string) => s.replace(/([\\`*_[\]#<>])/g, "\\$1");

function inlineMd(t: Y.XmlText): string {
  return runsOf(t)
    .map(({ insert, attributes: a = {} }) => {
      let s = a.code ? `\`${insert.replace(/`/g, "")}\`` : mdEscape(insert);
      if (a.bold) s = `**${s}**`;
      if (a.italic) s = `*${s}*`;
      if (a.strike) s = `~~${s}~~`;
      const href = safeHref((a.link as { href?: unknown } | undefined)?.href);
      if (href) s = `[${s}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
      return s;
    })
    .join("");
}

function childrenMd(e: Y.XmlElement, indent: string): string[] {
  return e.toArray().flatMap((c) => blockMd(c, indent));
}

const plainText = (e: Y.XmlElement) =>
  e
    .toArray()
    .map((c) =>
      c instanceof Y.XmlText
        ? runsOf(c)
            .map((r) => r.insert)
            .join("")
        : "",
    )
    .join("");

function textOf(e: Y.XmlElement): string {
  return e
    .toArray()
    .map((c) =>
      c instanceof Y.XmlText ? inlineMd(c) : c instanceof Y.XmlElement && c.nodeName === "hardBreak" ? "  \n" : "",
    )
    .join("");
}

function listMd(e: Y.XmlElement, indent: string, marker: (i: number, item: Y.XmlElement) => string): string[] {
  return e.toArray().flatMap((item, i) => {
    if (!(item instanceof Y.XmlElement)) return [];
    const [first = "", ...rest] = childrenMd(item, `${indent}  `);
    return [`${indent}${marker(i, item)}${first.trimStart()}`, ...rest];
  });
}

function blockMd(n: Y.XmlElement | Y.XmlText | Y.XmlHook, indent: string): string[] {
  if (!(n instanceof Y.XmlElement)) return n instanceof Y.XmlText ? [indent + inlineMd(n)] : [];
  switch (n.nodeName) {
    case "heading":
      return [`${"#".repeat(Math.min(6, Math.max(1, Number(n.getAttribute("level")) || 1)))} ${textOf(n)}`];
    case "bulletList":
      return listMd(n, indent, () => "- ");
    case "orderedList":
      return listMd(n, indent, (i) => `${i + 1}. `);
    case "taskList":
      return listMd(n, indent, (_i, item) => `- [${String(item.getAttribute("checked")) === "true" ? "x" : " "}] `);
    case "blockquote":
      return childrenMd(n, indent).map((l) => `> ${l}`);
    case "codeBlock":
      return [
        `${indent}\`\`\``,
        ...plainText(n)
          .split("\n")
          .map((l) => indent + l),
        `${indent}\`\`\``,
      ];
    case "horizontalRule":
      return [`${indent}---`];
    default:
      return [indent + textOf(n)];
  }
}

/** The document as Markdown (CommonMark with task-list items), one block per paragraph. */
export function toMarkdown(doc: Y.Doc): string {
  const blocks = doc
    .getXmlFragment(BODY_FIELD)
    .toArray()
    .map((n) => blockMd(n, "").join("\n"));
  return `${blocks.join("\n\n")}\n`;
}
