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
    expect(parseHtmlHead('<meta property=og:title content="unterminated').meta.get("og:title")).toBe("unterminated");
    expect(parseHtmlHead("<<<>>></ <3 <title>x").title).toBe("x");
    expect(parseHtmlHead("").title).toBeNull();
  });

  it("decodes the declared character set", () => {
    const latin1 = Buffer.from('<meta charset="iso-8859-1"><title>Caf\xe9</title>', "latin1");
    expect(parseHtmlHead(decodeHtml(latin1, "text/html")).title).toBe("Café");
    expect(parseHtmlHead(decodeHtml(latin1, "text/html; charset=windows-1252")).title).toBe("Café");
    expect(parseHtmlHead(decodeHtml(Buffer.from("<title>Été</title>"), "text/html; charset=nonsense")).title).toBe(
      "Été",
    );
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
