import { crc32, deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import { composer, ct, messages, openRoom, person, send, type Person } from "./src/chat.ts";

let browser: Browser;
let server: TestServer;
let admin: Person;
let member: Person;
let roomId: string;

/** A small PNG written from scratch (16 × 16, one colour): the server checks that it really is an image. */
function png(size: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  admin = await person(browser, server, "Adèle Morel", "admin");
  member = await person(browser, server, "Marius Blanc");
  const r = await admin.api.post<{ id: string }>("/api/chat/rooms", {
    type: "private",
    slug: "admin-e2e",
    memberIds: [member.id],
  });
  expect(r.status).toBe(201);
  roomId = r.body.id;
  // The member is already in the room when the emoji is added: it arrives by the live feed.
  await openRoom(member.page, roomId);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("chat administration in the browser", () => {
  it("an administrator adds a custom emoji; a member writes it as :name: and reacts with it", async () => {
    const a = admin.page;
    await a.goto("/chat");
    await a.getByTestId("chat-admin-link").click();
    await a.getByRole("tab", { name: ct("admin.tabs.emoji") }).click();
    await expect.poll(() => a.getByTestId("emoji-empty").isVisible()).toBe(true);
    await a
      .locator('input[type="file"]')
      .setInputFiles({ name: "Fête E2E.png", mimeType: "image/png", buffer: png(16, [230, 57, 70]) });
    // The name is proposed from the file's.
    await expect.poll(() => a.getByLabel(ct("admin.emoji.name")).inputValue()).toBe("fete_e2e");
    await a.getByTestId("emoji-preview").waitFor();
    await a.getByRole("button", { name: ct("admin.emoji.add") }).click();
    const row = a.locator('[data-testid="emoji-row"][data-name="fete_e2e"]');
    await row.waitFor();
    await expect
      .poll(() =>
        row
          .getByRole("img", { name: ":fete_e2e:" })
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBe(16);

    const m = member.page;
    await send(m, "Bravo à toute l’équipe :fete_e2e: !");
    const msg = messages(m, "Bravo à toute l’équipe").last();
    const inline = msg.getByTestId("message-text").getByRole("img", { name: ":fete_e2e:" });
    await inline.waitFor();
    await expect.poll(() => inline.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(16);

    await msg.hover();
    await msg.getByRole("button", { name: ct("message.react") }).click();
    await m.getByTestId("emoji-picker").getByRole("button", { name: ":fete_e2e:" }).click();
    const reaction = msg.locator('[data-testid="reactions"] [data-emoji=":fete_e2e:"]');
    await reaction.waitFor();
    await expect.poll(() => reaction.locator("img").count()).toBe(1);
    await expect.poll(() => reaction.getAttribute("aria-pressed")).toBe("true");
    // The administrator sees the same reaction from the server.
    const seen = await admin.api.get<{ reactions: { emoji: string; count: number }[] }>(
      `/api/chat/messages/${await msg.getAttribute("data-message-id")}`,
    );
    expect(seen.body.reactions).toEqual([expect.objectContaining({ emoji: ":fete_e2e:", count: 1 })]);
    await composer(m).waitFor();
  });

  it("an administrator changes a chat setting and it is still there after a reload", async () => {
    const a = admin.page;
    await a.goto("/chat/admin/general");
    const field = a.getByLabel(ct("admin.general.maxUploadMb"));
    await expect.poll(() => field.inputValue()).toBe("100");
    await field.fill("42");
    await a.getByRole("button", { name: ct("admin.save") }).click();
    await a.getByText(ct("admin.general.saved")).waitFor();
    await a.reload();
    await expect.poll(() => a.getByLabel(ct("admin.general.maxUploadMb")).inputValue()).toBe("42");
    expect((await member.api.get<{ maxUploadMb: number }>("/api/chat/settings")).body.maxUploadMb).toBe(42);
  });

  it("an administrator creates a bot; the token shown once works against the API", async () => {
    const a = admin.page;
    await a.goto("/chat/admin/bots");
    await a.getByTestId("bots-empty").waitFor();
    await a.getByLabel(ct("admin.bots.username")).fill("robot-e2e");
    await a.getByLabel(ct("admin.bots.displayName")).fill("Robot de test");
    await a.getByRole("button", { name: ct("admin.bots.create") }).click();
    const token = (await a.getByTestId("bot-token-value").textContent())?.trim() ?? "";
    expect(token.length).toBeGreaterThan(20);
    await a.getByText(ct("admin.bots.tokenOnce")).waitFor();
    await a.locator('[data-testid="bot-row"][data-username="robot-e2e"]').waitFor();

    const me = await fetch(new URL("/api/me", server.url), { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe("robot-e2e");
    const emoji = await fetch(new URL("/api/chat/emoji", server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await emoji.json()) as { items: { name: string }[] }).items.map((e) => e.name)).toEqual(["fete_e2e"]);
    // Once dismissed, the token is gone from the page.
    await a.getByRole("button", { name: ct("admin.bots.tokenDone") }).click();
    await expect.poll(() => a.getByTestId("bot-token").count()).toBe(0);
  });

  it("a member has no link to the administration and is refused there", async () => {
    const m = member.page;
    await m.goto("/chat");
    await composer(m).waitFor();
    expect(await m.getByTestId("chat-admin-link").count()).toBe(0);
    await m.goto("/chat/admin/bots");
    await m.getByTestId("chat-admin-refused").waitFor();
    await m.getByText(ct("admin.refusedTitle"), { exact: true }).waitFor();
    expect(await m.getByTestId("chat-admin").count()).toBe(0);
    // The server refuses the calls behind the page too.
    expect((await member.api.get("/api/chat/bots")).status).toBe(403);
    expect((await member.api.patch("/api/chat/settings", { maxUploadMb: 1 })).status).toBe(403);
  });
});
