import { beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { axeViolations, SIZES } from "./src/a11y.ts";
import { seedAudit, type AuditData } from "./src/a11y-seed.ts";
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

let data: AuditData;
beforeAll(async () => {
  data = await seedAudit(env.server);
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
/**
 * Esc, as a person would press it: once the focus is back in what is open. A scan at phone size hides a menu
 * whose button leaves the screen, and the shell puts the focus back into it when it shows again (useFocusRescue).
 */
async function pressEsc(page: Page) {
  await expect.poll(() => page.evaluate(() => document.activeElement !== document.body), { timeout: 5_000 }).toBe(true);
  await page.keyboard.press("Escape");
}
async function esc(page: Page) {
  await pressEsc(page);
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
    await signIn(page, lang, data.admin.username);
    await scan(page, found, "home");
    // Also linked from the navigation once signed in.
    await page.getByRole("link", { name: tr(lang, "statement.footer") }).waitFor();

    // The shell's menus and dialogs.
    await page.getByRole("button", { name: tr(lang, "notifications.bell") }).click();
    await dialog(page, tr(lang, "notifications.title")).waitFor();
    await scan(page, found, "notification centre");
    await pressEsc(page);
    await page.getByTestId("user-menu").click();
    await page.getByRole("menu").waitFor();
    await scan(page, found, "user menu");
    await pressEsc(page);
    await page.keyboard.press("Control+K");
    await page.getByRole("combobox", { name: tr(lang, "search.label") }).fill("planning");
    await page.getByRole("option").first().waitFor();
    await scan(page, found, "search dialog");
    await esc(page);
    for (const tab of ["profile", "preferences", "notifications", "password", "sessions", "tokens", "two-factor"])
      await screen(page, found, `/settings/${tab}`, () => page.getByRole("tabpanel").waitFor());
    for (const tab of ["users", "groups", "invitations", "settings", "audit", "status"])
      await screen(page, found, `/admin/${tab}`, () => page.getByRole("tabpanel").waitFor());
    // The administration's dialogs: a group's members (its people list open), a new user.
    await page.getByRole("tab", { name: tr(lang, "admin.tabs.groups") }).click();
    await page.getByRole("button", { name: `${tr(lang, "admin.manageMembers")} — Agents` }).click();
    await dialog(page, tr(lang, "admin.groupMembers", { name: "Agents" }))
      .getByLabel(tr(lang, "admin.addMember"))
      .fill("Bru");
    await page.getByRole("option", { name: /Bruno Petit/ }).waitFor();
    await scan(page, found, "group members");
    await pressEsc(page);
    await page.getByRole("option").first().waitFor({ state: "hidden" });
    await esc(page);
    await page.getByRole("tab", { name: tr(lang, "admin.tabs.users") }).click();
    await page.getByRole("button", { name: tr(lang, "admin.createUser") }).click();
    await dialog(page, tr(lang, "admin.createUser")).waitFor();
    await scan(page, found, "new user");
    await esc(page);
    await screen(page, found, `/people/${data.admin.id}`, h1(page));

    expect(found).toEqual([]);
    await context.close();
  });

  it("each service's pages", { timeout: 600_000 }, async () => {
    const { page, context, found } = await open(color);
    await signIn(page, lang, data.admin.username);
    // The services' pages.
    await screen(page, found, "/files", h1(page));
    await screen(page, found, "/files/shared", h1(page));
    await screen(page, found, "/docs", h1(page));
    await screen(page, found, `/docs/${data.docId}`, () =>
      page.getByRole("heading", { level: 1, name: "Compte rendu" }).waitFor(),
    );
    await screen(page, found, "/boards", h1(page));
    await screen(page, found, `/boards/${data.boardId}`, () => page.getByText("Relire le budget").first().waitFor());
    await screen(page, found, "/meetings", h1(page));
    for (const tab of ["general", "emoji", "bots", "retention"])
      await screen(page, found, `/chat/admin/${tab}`, () => page.getByRole("tabpanel").waitFor());
    await page.getByRole("button", { name: ct("admin.retention.run") }).click();
    await dialog(page, ct("admin.retention.runTitle")).waitFor();
    await scan(page, found, "retention: run now");
    await esc(page);

    expect(found).toEqual([]);
    await context.close();
  });

  it("the chat: a room, its menus, panels and dialogs", { timeout: 600_000 }, async () => {
    const { page, context, found } = await open(color);
    await signIn(page, lang, data.admin.username);
    const message = (text: string) => page.getByTestId("message").filter({ hasText: text }).first();
    const room = () => message("Le dernier message").waitFor();
    await page.goto(`/chat/${data.roomId}`);
    await room();
    // The room list is titled with the service's name (once a raw text key).
    await page
      .getByRole("navigation", { name: ct("sidebar.label") })
      .getByRole("heading", { level: 1, name: ct("nav") })
      .waitFor();
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
    await pressEsc(page);
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
    // Esc closes it: the focus is on a thread, not left behind on the list's « loading » line.
    await pressEsc(page);
    await expect.poll(() => page.getByRole("menu").count()).toBe(0);
    await page.getByRole("button", { name: ct("room.pins") }).click();
    await page.getByRole("menuitem").filter({ hasText: "Bonjour à tous" }).waitFor();
    await scan(page, found, "pinned messages");
    await closeMenu(page, page.getByRole("button", { name: ct("room.pins") }));

    // The room's members; a message's forward, delete and report dialogs; an edit history; the image viewer.
    await page.getByRole("button", { name: ct("room.members_other", { count: 2 }) }).click();
    await page.getByRole("dialog").getByText("Bruno Petit").waitFor();
    await scan(page, found, "room members");
    await esc(page);
    const act = async (text: string, item: string, title: string) => {
      const m = message(text);
      await m.hover();
      await m.getByRole("button", { name: ct("message.more") }).click();
      await page.getByRole("menuitem", { name: item }).click();
      return dialog(page, title);
    };
    const forward = await act("Le dernier message", ct("message.forward"), ct("message.forward"));
    await forward.getByLabel(ct("message.forwardTo")).click();
    await page.getByRole("option", { name: "#equipe-voirie" }).waitFor();
    await scan(page, found, "forward dialog");
    await pressEsc(page);
    await page.getByRole("option").first().waitFor({ state: "hidden" });
    await esc(page);
    const cancel = async (d: Locator) => {
      await d.getByRole("button", { name: ct("common.cancel") }).click();
      await d.waitFor({ state: "detached" });
    };
    await act("Le dernier message", ct("message.delete"), ct("message.deleteTitle"));
    await scan(page, found, "delete dialog");
    await esc(page);
    const report = await act("Une remarque de Bruno", ct("moderation.report"), ct("moderation.reportTitle"));
    await scan(page, found, "report dialog");
    await cancel(report);
    await first.getByTestId("edited").click();
    await page.getByTestId("edit-history").getByText("planning de la semaine.").waitFor();
    await scan(page, found, "edit history");
    await pressEsc(page);
    await closed('[data-testid="edit-history"]');
    await message("Le plan du site")
      .getByRole("button", { name: ct("files.openImage", { name: "plan.png" }) })
      .click();
    await dialog(page, "plan.png").getByRole("img", { name: "plan.png" }).waitFor();
    await scan(page, found, "image viewer");
    await esc(page);

    // The composer's people list (@), and the question before notifying everyone.
    const composer = page.getByTestId("composer");
    await composer.fill("@Bru");
    await page.getByRole("option", { name: /Bruno Petit/ }).waitFor();
    await scan(page, found, "mention list");
    await composer.fill("@channel point à 14h");
    await composer.press("Enter");
    const everyone = dialog(page, ct("composer.confirmAllTitle"));
    await everyone.waitFor();
    await scan(page, found, "notify everyone?");
    await cancel(everyone);
    await composer.fill("");

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
    // The archive question, then a member's actions menu and the question before removing them.
    await settings.getByTestId("archive-button").click();
    await scan(page, found, "archive dialog", () => dialog(page, ct("roomSettings.archive.archiveTitle")).waitFor());
    await cancel(dialog(page, ct("roomSettings.archive.archiveTitle")));
    await settings.getByRole("tab", { name: ct("roomSettings.tabs.members") }).click();
    await settings.getByRole("button", { name: ct("roomSettings.members.actions", { name: "Bruno Petit" }) }).click();
    await page.getByRole("menuitem", { name: ct("roomSettings.members.remove") }).waitFor();
    await scan(page, found, "member actions menu");
    await page.getByRole("menuitem", { name: ct("roomSettings.members.remove") }).click();
    await scan(page, found, "remove member dialog", () =>
      dialog(page, ct("roomSettings.members.removeTitle")).waitFor(),
    );
    await cancel(dialog(page, ct("roomSettings.members.removeTitle")));
    await esc(page);
    await menu(ct("moderation.menu"));
    const moderation = dialog(page, ct("moderation.title"));
    for (const tab of ["reports", "mutes"]) {
      await moderation.getByRole("tab", { name: ct(`moderation.${tab}`) }).click();
      await moderation.getByRole("tabpanel").waitFor();
      await scan(page, found, `moderation: ${tab}`);
    }
    await moderation.getByRole("tab", { name: ct("moderation.reports") }).click();
    await moderation.getByRole("button", { name: ct("moderation.deleteMessage") }).click();
    await scan(page, found, "delete reported message", () => dialog(page, ct("moderation.deleteTitle")).waitFor());
    await cancel(dialog(page, ct("moderation.deleteTitle")));
    await esc(page);
    await menu(ct("integrations.menu"));
    const integrations = dialog(page, ct("integrations.title"));
    for (const tab of ["incoming", "commands"]) {
      await integrations.getByRole("tab", { name: ct(`integrations.${tab}`) }).click();
      await integrations.getByRole("tabpanel").waitFor();
      await scan(page, found, `integrations: ${tab}`);
    }
    await integrations.getByRole("tab", { name: ct("integrations.incoming") }).click();
    await integrations.getByRole("button", { name: `${ct("integrations.delete")} Alertes` }).click();
    const unhook = dialog(page, ct("integrations.deleteTitle", { name: "Alertes" }));
    await scan(page, found, "delete webhook", () => unhook.waitFor());
    await cancel(unhook);
    await esc(page);

    // The sidebar's dialogs: the channel directory.
    await page.getByRole("button", { name: ct("sidebar.browse") }).click();
    await dialog(page, ct("directory.title"))
      .getByRole("button", { name: /#projet-tramway/ })
      .waitFor();
    await scan(page, found, "channel directory");
    await esc(page);
    // « Nouveau message direct » and « Créer un salon », each with its list of people open.
    for (const [button, title, field] of [
      ["sidebar.newDirect", "direct.title", "direct.people"],
      ["sidebar.create", "create.title", "create.people"],
    ] as const) {
      await page.getByRole("button", { name: ct(button) }).click();
      await dialog(page, ct(title)).getByLabel(ct(field)).fill("Bruno");
      await page.getByRole("option", { name: /Bruno Petit/ }).waitFor();
      await scan(page, found, title);
      // Esc closes the open list of people first, then the dialog.
      await pressEsc(page);
      await page.getByRole("option").first().waitFor({ state: "hidden" });
      await dialog(page, ct(title)).waitFor();
      await esc(page);
    }
    // A room's menu in the list.
    const row = page.getByTestId("sidebar-room-menu").and(page.getByRole("button", { name: /equipe-voirie/ }));
    await row.click();
    await page.getByRole("menuitem", { name: ct("roomSettings.hide") }).waitFor();
    await scan(page, found, "a room's menu in the list");
    await closeMenu(page, row);

    expect(found).toEqual([]);
    await context.close();
  });
});
