import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { Markdown } from "./Markdown.tsx";
import { customEmoji } from "./emoji/custom-emoji.tsx";

const html = (text: string, me = "alice") =>
  renderToStaticMarkup(createElement(MemoryRouter, null, createElement(Markdown, { text, meUsername: me })));

describe("chat markdown renderer (React elements, never HTML strings)", () => {
  it("keeps any markup as text", () => {
    const out = html('<script>alert(1)</script><img src=x onerror="alert(2)">');
    expect(out).not.toMatch(/<script|<img/);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("links only http, https and mailto, opened safely", () => {
    expect(html("[site](https://example.org/a?b=1)")).toContain(
      '<a href="https://example.org/a?b=1" target="_blank" rel="noopener noreferrer">site</a>',
    );
    expect(html("écrire à mailto:agent@example.org")).toContain('href="mailto:agent@example.org"');
    for (const bad of [
      "[x](javascript:alert(1))",
      "[x](data:text/html,hi)",
      "[x](vbscript:msgbox)",
      "[x](//evil.example)",
    ]) {
      expect(html(bad), bad).not.toContain("<a ");
    }
    // A trailing full stop is not part of an autolink.
    expect(html("voir https://example.org/page.")).toContain('href="https://example.org/page"');
  });

  it("renders emphasis, code, lists, quotes and fenced code with highlighting", () => {
    expect(html("**gras** *italique* ~~barré~~ `code`")).toBe(
      '<div class="chat-md"><p><strong>gras</strong> <em>italique</em> <del>barré</del> <code>code</code></p></div>',
    );
    expect(html("- un\n- deux")).toContain("<ul><li>un</li><li>deux</li></ul>");
    expect(html("1. un\n2. deux")).toContain("<ol><li>un</li><li>deux</li></ol>");
    expect(html("> cité\n> encore")).toContain("<blockquote><p>cité<br/>encore</p></blockquote>");
    const code = html('```ts\nconst x = "<b>"; // note\n```');
    // A Tab stop: a long line scrolls by keyboard too.
    expect(code).toContain(
      '<pre class="chat-code" data-lang="ts" tabindex="0"><code><span class="tok-keyword">const</span>',
    );
    expect(code).toContain('<span class="tok-string">&quot;&lt;b&gt;&quot;</span>');
    expect(code).toContain('<span class="tok-comment">// note</span>');
    // Nothing inside code is interpreted.
    expect(html("`**pas gras** @alice`")).toContain("<code>**pas gras** @alice</code>");
  });

  it("marks mentions (the reader's own stands out), links #channels and turns shortcodes into emoji", () => {
    const out = html("@alice @bob @here #projet-tramway :tada: :unknown_code:");
    expect(out).toContain('<span class="chat-mention chat-mention-me" data-mention="alice">@alice</span>');
    expect(out).toContain('<span class="chat-mention" data-mention="bob">@bob</span>');
    expect(out).toContain('<span class="chat-mention chat-mention-me" data-mention="here">@here</span>');
    expect(out).toMatch(/<a class="chat-channel-link" href="\/chat\/c\/projet-tramway"[^>]*>#projet-tramway<\/a>/);
    expect(out).toContain("🎉");
    expect(out).toContain(":unknown_code:");
    // An e-mail address is not a mention.
    expect(html("alice@example.org")).not.toContain("chat-mention");
  });
});

describe("custom emoji in the markdown renderer", () => {
  it("shows a known custom :name: as an image with its name as text alternative, leaves unknown names and code as text", () => {
    customEmoji.set([
      { name: "parrot", url: "/api/chat/emoji/parrot?v=1", createdBy: null, createdAt: "2026-11-28T00:00:00.000Z" },
    ]);
    try {
      const out = html("bravo :parrot: :tada: :nope: `:parrot:`");
      expect(out).toContain(
        '<img src="/api/chat/emoji/parrot?v=1" alt=":parrot:" title=":parrot:" class="chat-custom-emoji chat-custom-emoji-inline"',
      );
      expect(out).toContain("🎉");
      expect(out).toContain(":nope:");
      expect(out).toContain("<code>:parrot:</code>");
      expect(out.match(/<img/g)).toHaveLength(1);
    } finally {
      customEmoji.set([]);
    }
  });
});
