import { beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DOC_FILE_MARKER } from "../modules/docs/shared/documents.ts";
import { axeViolations, SIZES } from "./src/a11y.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { ct } from "./src/chat.ts";
import { signIn, tr, type Lang } from "./src/shell.ts";

/**
 * axe (WCAG 2.1 A/AA) on every screen, dialog and menu of the shell, and on each service's
 * pages, at desktop and phone size (issue 16). Every finding
 * of a pass is collected before the test fails, so one run lists them all.
 */
const env = browserAndServer();
/*
 * A dark brand (the default) and a pale one: text on the colour must turn dark with the pale one, and the
 * colour used as text or border on white must stay legible with both.
 */
const BRANDS = [
  ["dark", "#000091"],
  ["pale", "#f2e96b"],
] as const;

let admin: { username: string; id: string };
let roomId: string;
let docId: string;
let boardId: string;

beforeAll(async () => {
  const { server } = env;
  admin = await server.createUser({ role: "admin", displayName: "Alice Martin" });
  // Someone to find in « Nouveau message direct ».
  await server.createUser({ displayName: "Bruno Petit" });
  const api = server.client();
  expect(
    (await api.post("/api/auth/sign-in", { login: admin.username, password: "Correct-Horse-Battery-42" })).status,
  ).toBe(200);
  // A channel Alice owns: its menu offers settings, moderation and integrations.
  const room = await api.post<{ id: string }>("/api/chat/rooms", { type: "channel", slug: "projet-tramway" });
  expect(room.status).toBe(201);
  roomId = room.body.id;
  const post = (text: string, parentId?: string) =>
    api.post<{ id: string }>(`/api/chat/rooms/${roomId}/messages`, { clientKey: crypto.randomUUID(), text, parentId });
  const first = await post("Bonjour à tous, voici le planning de la semaine.");
  expect(first.status).toBe(201);
  await post("Une réponse dans le fil", first.body.id);
  await post(
    "```\nconst uneLigneDeCodeTresLongue = 'qui dépasse la largeur d’un téléphone sans aucun doute possible';\n```",
  );
  await api.request("PUT", `/api/chat/messages/${first.body.id}/pin`);
  await post("Le dernier message");
  const spaces = await api.get<{ spaces: { rootId: string }[] }>("/api/files/spaces");
  const root = spaces.body.spaces[0]!.rootId;
  const doc = await api.request<{ id: string }>(
    "PUT",
    `/api/files/nodes/${root}/files?name=${encodeURIComponent("Compte rendu.ensdoc")}`,
    undefined,
    { raw: Buffer.from(DOC_FILE_MARKER), headers: { "content-type": "application/vnd.ensemble.document+json" } },
  );
  expect(doc.status, doc.text).toBe(200);
  docId = doc.body.id;
  const board = await api.post<{ id: string }>("/api/boards", { title: "Lancement", lists: ["À faire", "En cours"] });
  expect(board.status).toBe(201);
  boardId = board.body.id;
  const view = await api.get<{ lists: { id: string }[] }>(`/api/boards/${boardId}`);
  const card = await api.post(`/api/boards/${boardId}/cards`, {
    listId: view.body.lists[0]!.id,
    title: "Relire le budget",
  });
  expect(card.status).toBe(201);
});

/** Runs axe on the page as it is, at both sizes (`ready` waits for the screen after a resize). */
async function scan(page: Page, found: string[], label: string, ready?: () => Promise<unknown>) {
  if (process.env.A11Y_TRACE) console.log(label);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await ready?.();
    for (const v of await axeViolations(page)) {
      found.push(`${label} @${size.width}: ${v}`);
      if (process.env.A11Y_TRACE) console.log(found.at(-1));
    }
  }
  await page.setViewportSize(SIZES[0]);
}

/** Opens `path` fresh and scans it once `ready` holds. */
async function screen(page: Page, found: string[], path: string, ready: () => Promise<unknown>) {
  await page.goto(path);
  await ready();
  await scan(page, found, path, ready);
}

/** A signed-in page with the brand colour set, and what a pass of axe found there. */
async function open(color: string) {
  const { server } = env;
  const owner = await server.signedIn({ role: "admin" });
  expect((await owner.client.patch("/api/admin/settings", { brandColor: color })).status).toBe(200);
  const { page, context } = await newContext(env.browser, server.url);
  // A step that waits for what never comes fails on its own, not at the test's timeout.
  page.setDefaultTimeout(30_000);
  await page.setViewportSize(SIZES[0]);
  return { page, context, found: [] as string[] };
}

const lang: Lang = "fr";
const h1 = (page: Page) => () => page.getByRole("heading", { level: 1 }).first().waitFor();
const dialog = (page: Page, name: string | RegExp) => page.getByRole("dialog", { name });
async function esc(page: Page) {
  await page.keyboard.press("Escape");
  await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
}
/** Closes a menu by its button again (waits until it has left, so that the next menu is the only one). */
async function closeMenu(page: Page, button: Locator) {
  await button.click();
  await expect.poll(() => page.getByRole("menu").count()).toBe(0);
}

describe.each(BRANDS)("axe on every screen, dialog and menu, %s brand colour (1400×900 and 390×844)", (_, color) => {
  it("the shell: sign-in, home, its menus and dialogs, settings, administration", { timeout: 600_000 }, async () => {
    const { page, context, found } = await open(color);
    await screen(page, found, "/sign-in", h1(page));
    // The accessibility statement, linked from the sign-in page, in both languages (RGAA's sections).
    await page.getByRole("link", { name: tr(lang, "statement.footer") }).click();
    for (const l of ["fr", "en"] as const) {
      if (l === "en") await page.getByRole("combobox", { name: tr("fr", "app.language") }).selectOption("en");
      await page.getByRole("heading", { level: 1, name: tr(l, "statement.title") }).waitFor();
      for (const key of [
        "statusTitle",
        "resultsTitle",
        "gapsTitle",
        "establishedTitle",
        "contactTitle",
        "remediesTitle",
      ])
        await page.getByRole("heading", { level: 2, name: tr(l, `statement.${key}`) }).waitFor();
      await scan(page, found, `accessibility statement (${l})`);
    }
    await page.getByRole("combobox", { name: tr("en", "app.language") }).selectOption("fr");
    await signIn(page, lang, admin.username);
    await scan(page, found, "home");
    // Also linked from the navigation once signed in.
    await page.getByRole("link", { name: tr(lang, "statement.footer") }).waitFor();

    // The shell's menus and dialogs.
    await page.getByRole("button", { name: tr(lang, "notifications.bell") }).click();
    await dialog(page, tr(lang, "notifications.title")).waitFor();
    await scan(page, found, "notification centre");
    await page.keyboard.press("Escape");
    await page.getByTestId("user-menu").click();
    await page.getByRole("menu").waitFor();
    await scan(page, found, "user menu");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+K");
    await page.getByRole("combobox", { name: tr(lang, "search.label") }).fill("planning");
    await page.getByRole("option").first().waitFor();
    await scan(page, found, "search dialog");
    await esc(page);
    for (const tab of ["profile", "preferences", "notifications", "password", "sessions", "tokens", "two-factor"])
      await screen(page, found, `/settings/${tab}`, () => page.getByRole("tabpanel").waitFor());
    for (const tab of ["users", "groups", "invitations", "settings", "audit", "status"])
      await screen(page, found, `/admin/${tab}`, () => page.getByRole("tabpanel").waitFor());
    await screen(page, found, `/people/${admin.id}`, h1(page));

    expect(found).toEqual([]);
    await context.close();
  });

  it("each service's pages", { timeout: 600_000 }, async () => {
    const { page, context, found } = await open(color);
    await signIn(page, lang, admin.username);
    // The services' pages.
    await screen(page, found, "/files", h1(page));
    await screen(page, found, "/files/shared", h1(page));
    await screen(page, found, "/docs", h1(page));
    await screen(page, found, `/docs/${docId}`, () =>
      page.getByRole("heading", { level: 1, name: "Compte rendu" }).waitFor(),
    );
    await screen(page, found, "/boards", h1(page));
    await screen(page, found, `/boards/${boardId}`, () => page.getByText("Relire le budget").first().waitFor());
    await screen(page, found, "/meetings", h1(page));
    await screen(page, found, "/chat/admin", h1(page));

    expect(found).toEqual([]);
    await context.close();
  });

  it("the chat: a room, its menus, panels and dialogs", { timeout: 600_000 }, async () => {
    const { page, context, found } = await open(color);
    await signIn(page, lang, admin.username);
    const message = (text: string) => page.getByTestId("message").filter({ hasText: text }).first();
    const room = () => message("Le dernier message").waitFor();
    await page.goto(`/chat/${roomId}`);
    await room();
    await scan(page, found, "chat room", room);
    const closed = (what: string) => page.locator(what).waitFor({ state: "detached" });

    // A message's actions menu (keeping it for later from there), then the emoji picker.
    const first = message("Bonjour à tous");
    await first.hover();
    await first.getByRole("button", { name: ct("message.more") }).click();
    await page.getByRole("menuitem", { name: ct("message.save") }).waitFor();
    await scan(page, found, "message actions menu");
    await page.getByRole("menuitem", { name: ct("message.save") }).click();
    await first.hover();
    await first.getByRole("button", { name: ct("message.react") }).click();
    await page.getByTestId("emoji-picker").waitFor();
    await scan(page, found, "emoji picker");
    await page.keyboard.press("Escape");
    await closed('[data-testid="emoji-picker"]');

    // The thread panel, the room's threads, pinned messages.
    await first.getByTestId("thread-summary").click();
    await page.getByTestId("thread-panel").getByTestId("message").filter({ hasText: "Une réponse" }).waitFor();
    await scan(page, found, "thread panel");
    await page
      .getByTestId("thread-panel")
      .getByRole("button", { name: ct("thread.close") })
      .click();
    await closed('[data-testid="thread-panel"]');
    await page.getByTestId("room-threads").click();
    await page.getByTestId("room-threads-list").getByRole("menuitem").first().waitFor();
    await scan(page, found, "room threads menu");
    await closeMenu(page, page.getByTestId("room-threads"));
    await page.getByRole("button", { name: ct("room.pins") }).click();
    await page.getByRole("menuitem").filter({ hasText: "Bonjour à tous" }).waitFor();
    await scan(page, found, "pinned messages");
    await closeMenu(page, page.getByRole("button", { name: ct("room.pins") }));

    // My threads, saved for later.
    await page.getByRole("button", { name: ct("lists.threads") }).click();
    await page.getByTestId("lists").getByText("Bonjour à tous").first().waitFor();
    await scan(page, found, "my threads");
    await esc(page);
    await page.getByRole("button", { name: ct("lists.saved") }).click();
    await page.getByTestId("lists").getByText("Bonjour à tous").first().waitFor();
    await scan(page, found, "saved for later");
    await esc(page);

    // The room's menu and what it opens.
    const menu = async (entry: string) => {
      await page.getByTestId("room-menu").click();
      await page.getByRole("menuitem", { name: entry }).click();
    };
    await page.getByTestId("room-menu").click();
    await page.getByRole("menuitem", { name: ct("roomSettings.open") }).waitFor();
    await scan(page, found, "room menu");
    await closeMenu(page, page.getByTestId("room-menu"));
    await menu(ct("roomSettings.open"));
    const settings = dialog(page, new RegExp(`^${ct("roomSettings.title", { room: "" })}`));
    for (const tab of ["general", "members", "archive"]) {
      await settings.getByRole("tab", { name: ct(`roomSettings.tabs.${tab}`) }).click();
      await settings.getByRole("tabpanel").waitFor();
      await scan(page, found, `room settings: ${tab}`);
    }
    await esc(page);
    await menu(ct("moderation.menu"));
    const moderation = dialog(page, ct("moderation.title"));
    for (const tab of ["reports", "mutes"]) {
      await moderation.getByRole("tab", { name: ct(`moderation.${tab}`) }).click();
      await moderation.getByRole("tabpanel").waitFor();
      await scan(page, found, `moderation: ${tab}`);
    }
    await esc(page);
    await menu(ct("integrations.menu"));
    const integrations = dialog(page, ct("integrations.title"));
    for (const tab of ["incoming", "commands"]) {
      await integrations.getByRole("tab", { name: ct(`integrations.${tab}`) }).click();
      await integrations.getByRole("tabpanel").waitFor();
      await scan(page, found, `integrations: ${tab}`);
    }
    await esc(page);

    // The sidebar's dialogs: the channel directory, a new direct message with its people picker open.
    await page.getByRole("button", { name: ct("sidebar.browse") }).click();
    await dialog(page, ct("directory.title"))
      .getByRole("button", { name: /#projet-tramway/ })
      .waitFor();
    await scan(page, found, "channel directory");
    await esc(page);
    await page.getByRole("button", { name: ct("sidebar.newDirect") }).click();
    await dialog(page, ct("direct.title")).getByLabel(ct("direct.people")).fill("Bruno");
    await page.getByRole("option", { name: /Bruno Petit/ }).waitFor();
    await scan(page, found, "new direct message");
    // Esc closes the open list of people first, then the dialog.
    await page.keyboard.press("Escape");
    await page.getByRole("option").first().waitFor({ state: "hidden" });
    await dialog(page, ct("direct.title")).waitFor();
    await esc(page);

    expect(found).toEqual([]);
    await context.close();
  });
});
