import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { axeViolations as violations } from "./src/a11y.ts";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import { composer, ct, messages, openRoom, person, send, type Person } from "./src/chat.ts";

let browser: Browser;
let server: TestServer;
let receiver: http.Server;
let receiverUrl: string;
const commandCalls: URLSearchParams[] = [];
let owner: Person;
let member: Person;
let theo: { client: TestClient; user: { id: string; username: string } };
let roomId: string;

/** The room's "⋯" menu, then one of its entries. */
async function roomMenu(p: Page, entry: string): Promise<void> {
  await p.getByTestId("room-menu").click();
  await p.getByRole("menuitem", { name: entry }).click();
}

const drawer = (p: Page, title: string) => p.getByRole("dialog", { name: title });

/** A form field by its label; a required one's label ends with an asterisk. */
const field = (scope: Locator, label: string) =>
  scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*\\*?$`));

beforeAll(async () => {
  // A slash command's receiver, standing for a third-party service on this machine (allow-listed below).
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const f = new URLSearchParams(body);
      commandCalls.push(f);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ text: `Pong : ${f.get("text") ?? ""}` }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;
  receiverUrl = `http://127.0.0.1:${port}/slash`;

  browser = await launchChromium();
  server = await startTestServer({ env: { OUTBOUND_ALLOW: `127.0.0.1:${port}` } });
  // The owner is also an administrator: custom slash commands are the organisation's.
  owner = await person(browser, server, "Odile Dumas", "admin");
  member = await person(browser, server, "Marc Lefèvre");
  theo = await server.signedIn({ displayName: "Théo Vendeur" });
  const r = await owner.api.post<{ id: string }>("/api/chat/rooms", {
    type: "private",
    slug: "moderation-e2e",
    memberIds: [member.id, theo.user.id],
  });
  expect(r.status).toBe(201);
  roomId = r.body.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

describe("moderating a room and managing its integrations from the web", () => {
  it("a member reports a message; the owner sees it, jumps to it and deletes it; the member sees a tombstone", async () => {
    const spam = await theo.client.post<{ id: string }>(`/api/chat/rooms/${roomId}/messages`, {
      clientKey: "spam-1",
      text: "Achetez des montres pas chères !",
    });
    expect(spam.status).toBe(201);
    await openRoom(member.page, roomId);
    await send(member.page, "Bonjour à tous");

    // No "Report" on one's own message.
    const mine = messages(member.page, "Bonjour à tous");
    await mine.hover();
    await mine.getByRole("button", { name: ct("message.more") }).click();
    await member.page.getByRole("menuitem", { name: ct("message.quote") }).waitFor();
    expect(await member.page.getByRole("menuitem", { name: ct("moderation.report") }).count()).toBe(0);
    await member.page.keyboard.press("Escape");

    const theirs = messages(member.page, "Achetez des montres");
    await theirs.hover();
    await theirs.getByRole("button", { name: ct("message.more") }).click();
    await member.page.getByRole("menuitem", { name: ct("moderation.report") }).click();
    const dialog = member.page.getByRole("dialog", { name: ct("moderation.reportTitle") });
    await dialog.getByRole("radio", { name: ct("moderation.reasons.spam") }).check();
    expect(await violations(member.page)).toEqual([]);
    await dialog.getByLabel(ct("moderation.detailsLabel"), { exact: true }).fill("Publicité répétée");
    await dialog.getByRole("button", { name: ct("moderation.reportSend") }).click();
    await member.page.getByText(ct("moderation.reported")).waitFor();
    await dialog.waitFor({ state: "hidden" });

    // The owner opens the room: the count of open reports is on the menu entry.
    await openRoom(owner.page, roomId);
    await owner.page.getByTestId("room-menu").click();
    const entry = owner.page.getByRole("menuitem", { name: ct("moderation.menu") });
    await expect.poll(() => entry.textContent()).toContain("1");
    await entry.click();
    const mod = drawer(owner.page, ct("moderation.title"));
    const report = mod.getByTestId("report");
    await expect.poll(() => report.count()).toBe(1);
    expect(await report.getByTestId("report-excerpt").textContent()).toContain("Achetez des montres pas chères");
    expect(await report.textContent()).toContain(`@${member.username}`);
    expect(await report.textContent()).toContain(`${ct("moderation.reasons.spam")} — Publicité répétée`);
    expect(await violations(owner.page)).toEqual([]);

    // See it in context: the drawer closes and the message is highlighted in the timeline.
    await report.getByRole("button", { name: ct("moderation.seeMessage") }).click();
    await mod.waitFor({ state: "hidden" });
    await owner.page.locator(`[data-message-id="${spam.body.id}"].chat-highlight`).waitFor();

    await roomMenu(owner.page, ct("moderation.menu"));
    await mod
      .getByTestId("report")
      .getByRole("button", { name: ct("moderation.deleteMessage") })
      .click();
    await owner.page
      .getByRole("dialog", { name: ct("moderation.deleteTitle") })
      .getByRole("button", { name: ct("moderation.deleteMessage") })
      .click();
    await mod.getByTestId("reports-empty").waitFor();
    expect(await mod.getByTestId("reports-empty").textContent()).toBe(ct("moderation.noReports"));

    await member.page.locator(`[data-message-id="${spam.body.id}"] [data-testid="message-deleted"]`).waitFor();
    const resolved = await owner.api.get<{
      items: { resolution: string; message: { id: string; deletedAt: string | null } }[];
    }>(`/api/chat/rooms/${roomId}/reports?status=resolved`);
    expect(resolved.body.items).toHaveLength(1);
    expect(resolved.body.items[0]!.resolution).toBe("message_deleted");
    expect(resolved.body.items[0]!.message.deletedAt).not.toBeNull();
  });

  it("the owner mutes the member from the drawer: their send fails and says why; unmuting lets the retry through", async () => {
    const mod = drawer(owner.page, ct("moderation.title"));
    await mod.getByRole("tab", { name: ct("moderation.mutes") }).click();
    await mod.getByTestId("mutes-empty").waitFor();
    await mod.getByLabel(ct("moderation.member"), { exact: true }).click();
    await owner.page.getByRole("option", { name: `Marc Lefèvre (@${member.username})` }).click();
    await mod.getByRole("button", { name: ct("moderation.mute") }).click();
    const row = mod.getByTestId("mute");
    await row.waitFor();
    expect(await row.textContent()).toContain("Marc Lefèvre");

    await send(member.page, "Puis-je encore parler ?");
    const failed = member.page.locator('[data-testid="pending-message"][data-status="failed"]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain(ct("problems.chat_muted"));

    await row.getByRole("button", { name: ct("moderation.unmuteWho", { name: "Marc Lefèvre" }) }).click();
    await mod.getByTestId("mutes-empty").waitFor();
    await failed.getByRole("button", { name: ct("message.retry") }).click();
    await messages(owner.page, "Puis-je encore parler ?").waitFor();
    await expect.poll(() => member.page.getByTestId("pending-message").count()).toBe(0);
    await owner.page.keyboard.press("Escape");
    await mod.waitFor({ state: "hidden" });
  });

  it("an incoming webhook created in the UI posts into the room for everyone", async () => {
    await roomMenu(owner.page, ct("integrations.menu"));
    const ints = drawer(owner.page, ct("integrations.title"));
    await ints.getByTestId("incoming-empty").waitFor();
    await field(ints, ct("integrations.name")).fill("Supervision");
    await ints.getByLabel(ct("integrations.defaultUsername"), { exact: true }).fill("Nagios");
    await ints.getByRole("button", { name: ct("integrations.create") }).click();
    const shown = (await ints.getByTestId("incoming-url").textContent())!.trim();
    expect(shown).toMatch(/\/hooks\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{20,}$/);
    expect(await ints.getByTestId("created-integration").textContent()).toContain("curl -X POST");
    await ints.getByTestId("integration").filter({ hasText: "Supervision" }).waitFor();
    expect(await violations(owner.page)).toEqual([]);

    const res = await fetch(shown.replace(server.config.publicUrl, server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Alerte : le disque *srv-1* est plein" }),
    });
    expect(res.status).toBe(200);
    const posted = messages(member.page, "Alerte : le disque");
    await posted.waitFor();
    expect(await posted.textContent()).toContain("Nagios");
    await owner.page.keyboard.press("Escape");
    await ints.waitFor({ state: "hidden" });
  });

  it("a custom slash command created in the UI is suggested in the composer and its answer is shown", async () => {
    await roomMenu(owner.page, ct("integrations.menu"));
    const ints = drawer(owner.page, ct("integrations.title"));
    await ints.getByRole("tab", { name: ct("integrations.commands") }).click();
    await ints.getByTestId("commands-empty").waitFor();
    await field(ints, ct("integrations.commandName")).fill("/ping-e2e");
    await field(ints, ct("integrations.targetUrl")).fill(receiverUrl);
    await ints.getByLabel(ct("integrations.usageHint"), { exact: true }).fill("Répond pong : /ping-e2e texte");
    await ints.getByRole("button", { name: ct("integrations.create") }).click();
    await ints.getByTestId("integration").filter({ hasText: "/ping-e2e" }).waitFor();
    await owner.page.keyboard.press("Escape");
    await ints.waitFor({ state: "hidden" });

    await composer(owner.page).fill("/ping");
    await owner.page
      .getByTestId("suggestions")
      .getByRole("option", { name: /\/ping-e2e/ })
      .waitFor();
    await composer(owner.page).fill("/ping-e2e hello");
    await composer(owner.page).press("Enter");
    const reply = owner.page.getByTestId("command-reply");
    await reply.waitFor();
    expect(await reply.textContent()).toContain("Pong : hello");
    expect(commandCalls.at(-1)?.get("command")).toBe("/ping-e2e");
    expect(commandCalls.at(-1)?.get("user_name")).toBe(owner.username);
    // The answer is the owner's alone: nothing was posted in the room.
    expect(await messages(member.page, "Pong").count()).toBe(0);
    expect(await composer(owner.page).inputValue()).toBe("");
  });
});
