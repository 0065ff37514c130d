import { describe, expect, it } from "vitest";
import { decodeHtml, parseHtmlHead } from "../previews/html-head.ts";
import { extractUrls } from "../previews/fetch-preview.ts";
import { mrkdwnToMarkdown } from "../integrations/slack-payload.ts";

describe("HTML head reader", () => {
  it("reads meta, link and title tags written every which way", () => {
    const head = parseHtmlHead(`<!DOCTYPE html><HTML><HEAD>
      <META PROPERTY=og:title CONTENT=Unquoted>
      <meta name='twitter:title' content='Single &quot;quoted&quot;'>
      <meta property="og:description" content="A &amp; B &#233;t&#xE9; &hellip;" />
      <meta content="reversed order" property="og:site_name">
      <link rel="alternate icon" href="/favicon.ico"><link rel=alternate type="application/json+oembed" href="/o?a=1&amp;b=2">
      <title>  Le   titre
        de la page </title>
      <meta property="og:title" content="second og:title is ignored">`);
    expect(head.meta.get("og:title")).toBe("Unquoted");
    expect(head.meta.get("twitter:title")).toBe('Single "quoted"');
    expect(head.meta.get("og:description")).toBe("A & B été …");
    expect(head.meta.get("og:site_name")).toBe("reversed order");
    expect(head.title).toBe("Le titre de la page");
    expect(head.links.find((l) => l.type === "application/json+oembed")?.href).toBe("/o?a=1&b=2");
  });

  it("ignores what scripts, styles, comments and the body say, and survives broken markup", () => {
    const head = parseHtmlHead(`<head><script>var s = '<meta property="og:title" content="from script">';</script>
      <style>/* <meta property="og:title" content="from style"> */</style>
      <!-- <meta property="og:title" content="from comment"> -->
      <meta property="og:image" content="https://x.example/i.png"
      </head><body><meta property="og:title" content="from body">`);
    expect(head.meta.has("og:title")).toBe(false);
    // As in a browser, a tag cut off by the end of the document is dropped, and `</ ` opens a bogus comment.
    expect(parseHtmlHead('<meta property=og:title content="unterminated').meta.size).toBe(0);
    expect(parseHtmlHead("<<<>>> <3 <title>x").title).toBe("x");
    expect(parseHtmlHead("<<<>>></ <3 <title>x").title).toBeNull();
    expect(parseHtmlHead("").title).toBeNull();
  });

  it("reads only the head: meta in the body, in noscript, templates or an SVG's title do not count", () => {
    const head = parseHtmlHead(`<html><head>
      <noscript><meta property="og:title" content="from noscript"></noscript>
      <template><meta property="og:description" content="from template"></template>
      <svg><title>an icon</title></svg>
      <meta property="og:site_name" content="Site">
      </head><body><title>body title</title><meta property="og:title" content="from body">
      <meta name="description" content="from body">`);
    expect(head.title).toBeNull();
    expect([...head.meta]).toEqual([["og:site_name", "Site"]]);
    // Without </head>, <body> ends the head too.
    const noClose = parseHtmlHead(`<title>Titre</title><body><meta property="og:title" content="in body">`);
    expect(noClose.title).toBe("Titre");
    expect(noClose.meta.size).toBe(0);
  });

  it("survives unclosed tags, an unclosed comment and an unclosed title", () => {
    // An unclosed tag swallows the next one as attributes, as in a browser; what follows is still read.
    const swallowed = parseHtmlHead(
      `<meta property="og:title" content="first"\n<meta property="og:description" content="lost"><title>t</title>`,
    );
    expect(swallowed.meta.get("og:title")).toBe("first");
    expect(swallowed.meta.has("og:description")).toBe(false);
    expect(swallowed.title).toBe("t");
    expect(parseHtmlHead(`<meta name=a content=1><!-- <meta name=b content=2>`).meta).toEqual(new Map([["a", "1"]]));
    const longTitle = parseHtmlHead(`<title>${"Mot ".repeat(200_000)}`);
    expect(longTitle.title!.length).toBeLessThanOrEqual(4096);
    expect(longTitle.title!.startsWith("Mot Mot")).toBe(true);
  });

  it("stops reading a huge page after its first 512 KiB, unclosed elements and all", () => {
    const junk = "<div><span a=1 b='2' c>".repeat(40_000); // ≈ 1 MB of elements never closed
    const page = `<head><meta property="og:title" content="Avant">${junk}<meta property="og:description" content="Après">`;
    expect(page.length).toBeGreaterThan(900_000);
    const head = parseHtmlHead(page);
    expect(head.meta.get("og:title")).toBe("Avant");
    expect(head.meta.has("og:description")).toBe(false);
    const longAttr = parseHtmlHead(`<meta property="og:title" content="${"x".repeat(1_000_000)}"><title>t</title>`);
    expect(longAttr.meta.size).toBe(0);
  });

  it("decodes every named character reference, and refuses prototype names", () => {
    const head = parseHtmlHead(
      `<meta property="og:description" content="&eacute &NotEqualTilde; &Zopf; &#0; &#xD800; &unknown;">` +
        `<meta constructor=x __proto__=y content=z property=og:title><meta name=toString content=w>`,
    );
    expect(head.meta.get("og:description")).toBe("é ≂̸ ℤ \ufffd \ufffd &unknown;");
    expect(head.meta.get("og:title")).toBe("z");
    expect(head.meta.get("tostring")).toBe("w");
  });

  it("decodes the declared character set", () => {
    const latin1 = Buffer.from('<meta charset="iso-8859-1"><title>Caf\xe9</title>', "latin1");
    expect(parseHtmlHead(decodeHtml(latin1, "text/html")).title).toBe("Café");
    expect(parseHtmlHead(decodeHtml(latin1, "text/html; charset=windows-1252")).title).toBe("Café");
    expect(parseHtmlHead(decodeHtml(Buffer.from("<title>Été</title>"), "text/html; charset=nonsense")).title).toBe(
      "Été",
    );
  });

  it("takes the character set as a browser does: BOM, header, then a meta in the first kilobyte", () => {
    const cafe = (prefix: string, meta: string) =>
      Buffer.concat([Buffer.from(`${prefix}${meta}<title>Caf`), Buffer.from([0xe9]), Buffer.from("</title>")]);
    // http-equiv form, attributes in any order and case.
    expect(
      parseHtmlHead(
        decodeHtml(cafe("", `<META CONTENT="text/html; charset=ISO-8859-15" HTTP-EQUIV="Content-Type">`), undefined),
      ).title,
    ).toBe("Café");
    // The header wins over the meta.
    const utf8 = Buffer.from('<meta charset="iso-8859-1"><title>Été</title>');
    expect(parseHtmlHead(decodeHtml(utf8, 'text/html; charset="UTF-8"')).title).toBe("Été");
    // A meta past the first kilobyte is not looked for: UTF-8 it is.
    const late = cafe(`<!--${"x".repeat(1100)}-->`, '<meta charset="windows-1252">');
    expect(parseHtmlHead(decodeHtml(late, undefined)).title).toBe("Caf\ufffd");
    // A meta naming UTF-16 over ASCII bytes means UTF-8.
    expect(parseHtmlHead(decodeHtml(Buffer.from('<meta charset="utf-16"><title>Été</title>'), undefined)).title).toBe(
      "Été",
    );
    // A byte order mark beats everything.
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("<title>Noël</title>", "utf16le")]);
    expect(parseHtmlHead(decodeHtml(bom, "text/html; charset=iso-8859-1")).title).toBe("Noël");
    // A meta in a script does not declare anything.
    const scripted = cafe(`<script>'<meta charset="utf-16">'</script>`, `<meta charset="latin1">`);
    expect(parseHtmlHead(decodeHtml(scripted, undefined)).title).toBe("Café");
  });
});

describe("link extraction", () => {
  it("finds links in prose and Markdown, not in code, without trailing punctuation", () => {
    expect(
      extractUrls(
        "Voir https://a.example/x. Et (https://b.example/y), [lien](https://c.example/z_(1)) `https://code.example/` ```\nhttps://block.example/\n```",
      ),
    ).toEqual(["https://a.example/x", "https://b.example/y", "https://c.example/z_(1)"]);
    expect(extractUrls("ftp://x.example/ javascript:alert(1)")).toEqual([]);
  });
});

describe("Slack mrkdwn", () => {
  it("becomes our Markdown", () => {
    expect(
      mrkdwnToMarkdown(
        "*gras* _italique_ ~barré~ <https://x.example|lien> <https://y.example> <!here> &lt;b&gt; &amp;",
      ),
    ).toBe("**gras** _italique_ ~~barré~~ [lien](https://x.example) https://y.example @here <b> &");
  });
});
