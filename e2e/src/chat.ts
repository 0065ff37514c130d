import { expect } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { TestClient, TestServer } from "@ensemble/testkit";
import chatFr from "../../modules/chat/web/i18n/fr.json" with { type: "json" };
import chatLabelsFr from "../../modules/chat/web/i18n/manifest.fr.json" with { type: "json" };
import chatEn from "../../modules/chat/web/i18n/en.json" with { type: "json" };
import chatLabelsEn from "../../modules/chat/web/i18n/manifest.en.json" with { type: "json" };
import { newContext } from "./browser.ts";
import { signIn } from "./shell.ts";

/** A small PNG (64 × 48, one colour): the server checks that an upload really is an image. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAfUlEQVRoge2SAQkAURSDlsScF9FYF2M8/sAAOhY+T5O6AQuwviK7kHdJ3YAFWF+RXci7pG7AAqyvyC7kXVI3YAHWV2QX8i6pG7AA6yuyC3mX1A1YgPUV2YW8S+oGLMD6iuxC3iV1AxZgfUV2Ie+SugELsL4iu5B3Sd2AxwN+UX1o8ehqlvIAAAAASUVORK5CYII=",
  "base64",
);

/**
 * A chat text in French, with {{placeholders}} filled (the tests read labels from the app's own files): the
 * chat's bundle, then its manifest's labels (loaded with the shell).
 */
export function ct(key: string, vars: Record<string, string | number> = {}): string {
  return chatText("fr", key, vars);
}

const CHAT_TEXTS = { fr: [chatFr, chatLabelsFr], en: [chatEn, chatLabelsEn] } as const;

/** A chat text in the given language (see `ct`). */
export function chatText(lang: "fr" | "en", key: string, vars: Record<string, string | number> = {}): string {
  const lookup = (tree: unknown) => {
    let node = tree;
    for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
    return node;
  };
  const [bundle, labels] = CHAT_TEXTS[lang];
  const node = lookup(bundle) ?? lookup(labels);
  if (typeof node !== "string") throw new Error(`no chat text for ${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? ""));
}

export interface Person {
  id: string;
  username: string;
  displayName: string;
  page: Page;
  api: TestClient;
}

/** A person with a signed-in browser page (French) and a signed-in API client. */
export async function person(
  browser: Browser,
  server: TestServer,
  displayName: string,
  role: "admin" | "member" = "member",
): Promise<Person> {
  const u = await server.createUser({ displayName, role });
  const { page } = await newContext(browser, server.url);
  await signIn(page, "fr", u.username);
  const api = server.client();
  const r = await api.post("/api/auth/sign-in", { login: u.username, password: u.password });
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status}`);
  return { id: u.id, username: u.username, displayName, page, api };
}

export async function openRoom(p: Page, roomId: string): Promise<void> {
  await p.goto(`/chat/${roomId}`);
  await p.getByTestId("composer").waitFor();
}

export const composer = (p: Page) => p.getByTestId("composer");

export async function send(p: Page, text: string): Promise<void> {
  await composer(p).fill(text);
  await composer(p).press("Enter");
}

/** The rendered messages whose text contains `text`. */
export const messages = (p: Page, text: string) => p.getByTestId("message").filter({ hasText: text });

/** Waits until exactly `n` messages show `text` (never more: nothing is duplicated). */
export async function expectCount(p: Page, text: string, n: number): Promise<void> {
  await expect.poll(() => messages(p, text).count(), { timeout: 15_000 }).toBe(n);
}

export async function defaultChannel(api: TestClient): Promise<string> {
  const r = await api.get<{ sections: { key: string; rooms: { id: string; slug: string | null }[] }[] }>(
    "/api/chat/sidebar",
  );
  const room = r.body.sections.flatMap((s) => s.rooms).find((x) => x.slug === "general");
  if (!room) throw new Error("no default channel");
  return room.id;
}

/** The text of the message holding the focus (the message itself or one of its controls). */
export const focusedMessage = (page: Page) =>
  page.evaluate(
    () =>
      document.activeElement?.closest("[data-testid='message']")?.querySelector("[data-testid='message-text']")
        ?.textContent ?? "",
  );
