import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAndServer, newContext } from "./src/browser.ts";
import { defaultChannel, person } from "./src/chat.ts";
import { signIn, tr } from "./src/shell.ts";

const env = browserAndServer();

/** Every status a page shows for one person: the chat's dots (sidebar, messages, thread panel) and a profile badge. */
const shown = (page: Page, userId: string) =>
  page
    .locator(`[data-presence][data-user-id="${userId}"], [data-testid="presence"][data-user-id="${userId}"]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-presence") ?? e.getAttribute("data-status") ?? ""));

/** The distinct statuses one person has across the pages given: one value when the client agrees with itself. */
const states = async (pages: Page[], userId: string) =>
  [...new Set((await Promise.all(pages.map((p) => shown(p, userId)))).flat())].sort();

const choose = async (page: Page, status: "away" | "dnd") => {
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: tr("fr", `people.presence.${status}`), exact: true }).click();
};

describe("presence", () => {
  it("shows a colleague's chosen status live on their profile card, and offline once they leave", async () => {
    const watcher = await env.server.createUser({ displayName: "Julie Blanc" });
    const colleague = await env.server.createUser({ displayName: "Karim Benali" });
    const a = await newContext(env.browser, env.server.url);
    const b = await newContext(env.browser, env.server.url);
    await signIn(b.page, "fr", colleague.username);
    await signIn(a.page, "fr", watcher.username);
    await a.page.goto(`/people/${colleague.id}`);
    const badge = a.page.getByTestId("presence");
    await expect.poll(() => badge.getAttribute("data-status"), { timeout: 10_000 }).toBe("online");

    // The colleague chooses "do not disturb" from the user menu; it sticks across a reload.
    await choose(b.page, "dnd");
    await expect.poll(() => badge.getAttribute("data-status"), { timeout: 10_000 }).toBe("dnd");
    expect(await badge.textContent()).toBe(tr("fr", "people.presence.dnd"));
    await b.page.reload();
    await b.page.getByRole("heading", { level: 1 }).waitFor();
    await b.page.getByTestId("user-menu").click();
    await b.page
      .getByRole("menuitem", { name: `${tr("fr", "people.presence.dnd")}${tr("fr", "presence.current")}` })
      .waitFor();
    await expect.poll(() => badge.getAttribute("data-status"), { timeout: 10_000 }).toBe("dnd");

    await b.context.close();
    await expect.poll(() => badge.getAttribute("data-status"), { timeout: 15_000 }).toBe("offline");
    expect([...a.foreign, ...b.foreign]).toEqual([]);
    await a.context.close();
  });

  it("gives one person one status at a time in the DM list, on their messages, in a thread and on their card", async () => {
    const alice = await person(env.browser, env.server, "Alice Martin");
    const bruno = await person(env.browser, env.server, "Bruno Petit");
    const general = await defaultChannel(alice.api);
    await defaultChannel(bruno.api);
    const dm = await alice.api.post<{ id: string }>("/api/chat/direct", { userIds: [bruno.id] });
    expect(dm.status).toBeLessThan(300);
    const say = async (who: typeof alice, text: string, parentId?: string) => {
      const r = await who.api.post<{ id: string }>(`/api/chat/rooms/${general}/messages`, {
        clientKey: text,
        text,
        ...(parentId ? { parentId } : {}),
      });
      expect(r.status).toBe(201);
      return r.body.id;
    };
    const root = await say(bruno, "Qui relit le compte rendu ?");
    await say(alice, "Je veux bien", root);
    await say(bruno, "Merci Alice", root);
    await say(alice, "Le compte rendu est en ligne");

    // Alice reads the room with the thread open, and Bruno's card in a second tab of the same browser.
    const chat = alice.page;
    await chat.goto(`/chat/${general}?thread=${root}`);
    const panel = chat.getByTestId("thread-panel");
    await panel.getByTestId("message").filter({ hasText: "Merci Alice" }).waitFor();
    const card = await chat.context().newPage();
    await card.goto(`/people/${bruno.id}`);
    await card.getByTestId("presence").waitFor();
    const pages = [chat, card];

    // Every place shows Bruno: the DM list, his message in the room, the thread (root and reply), his card.
    const dmDot = chat.locator(
      `[data-testid="sidebar-room"][data-room-id="${dm.body.id}"] [data-user-id="${bruno.id}"]`,
    );
    await dmDot.waitFor();
    expect(await panel.locator(`[data-user-id="${bruno.id}"]`).count()).toBe(2);
    expect(await panel.locator(`[data-user-id="${alice.id}"]`).count()).toBe(1);
    expect(await chat.locator(`[data-user-id="${bruno.id}"]`).count()).toBeGreaterThanOrEqual(4);
    expect(await chat.locator(`[data-user-id="${alice.id}"]`).count()).toBeGreaterThanOrEqual(2);

    await expect.poll(() => states(pages, bruno.id), { timeout: 10_000 }).toEqual(["online"]);
    await expect.poll(() => states(pages, alice.id), { timeout: 10_000 }).toEqual(["online"]);

    // Alice's own status is the same on her messages and in the thread once she changes it.
    await choose(chat, "dnd");
    await expect.poll(() => states(pages, alice.id), { timeout: 10_000 }).toEqual(["dnd"]);

    // Bruno steps away, then signs out: every place in Alice's browser follows.
    await choose(bruno.page, "away");
    await expect.poll(() => states(pages, bruno.id), { timeout: 10_000 }).toEqual(["away"]);
    await bruno.page.getByTestId("user-menu").click();
    await bruno.page.getByRole("menuitem", { name: tr("fr", "nav.signOut") }).click();
    await bruno.page.waitForURL(/\/sign-in/);
    await expect.poll(() => states(pages, bruno.id), { timeout: 15_000 }).toEqual(["offline"]);
    expect(await card.getByTestId("presence").textContent()).toBe(tr("fr", "people.presence.offline"));
    await chat.context().close();
    await bruno.page.context().close();
  });
});
