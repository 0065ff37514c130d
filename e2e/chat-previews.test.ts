import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import { ct, defaultChannel, messages, openRoom, person, send, type Person } from "./src/chat.ts";

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<meta property="og:title" content="Plan vélo 2027">
<meta property="og:description" content="La métropole double ses pistes cyclables.">
<meta property="og:site_name" content="Métropole"></head><body></body></html>`;

/** A 1×1 PNG, as a third-party site would serve it. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

let browser: Browser;
let server: TestServer;
let site: Server;
let siteUrl: string;
let alice: Person;
let bob: Person;

beforeAll(async () => {
  // A page of our own, allow-listed for the server's link previews (private addresses are refused otherwise).
  site = createServer((req, res) => {
    if (req.url === "/article") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    else if (req.url?.startsWith("/img/")) res.writeHead(200, { "content-type": "image/png" }).end(PNG);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const port = (site.address() as AddressInfo).port;
  siteUrl = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
  server = await startTestServer({ env: { OUTBOUND_ALLOW: `127.0.0.1:${port},:${port}` } });
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  const general = await defaultChannel(alice.api);
  await defaultChannel(bob.api);
  await openRoom(alice.page, general);
  await openRoom(bob.page, general);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => site?.close(resolve));
});

describe("link previews in Discutons", () => {
  it("shows the page's preview to everyone; its sender removes it for everyone", async () => {
    await send(alice.page, `Le nouveau plan : ${siteUrl}/article`);
    const card = messages(bob.page, "Le nouveau plan").getByTestId("link-preview");
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain("Plan vélo 2027");
    expect(await card.textContent()).toContain("Métropole");
    // Only the sender is offered the removal.
    expect(await card.getByRole("button", { name: ct("message.removePreview") }).count()).toBe(0);
    const own = messages(alice.page, "Le nouveau plan").getByTestId("link-preview");
    await own.getByRole("button", { name: ct("message.removePreview") }).click();
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => own.count()).toBe(0);
  });

  it("shows a webhook's third-party images through the server's proxy: the browser never contacts that site", async () => {
    const room = await alice.api.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "supervision",
      memberIds: [bob.id],
    });
    expect(room.status).toBe(201);
    const hook = await alice.api.post<{ url: string }>(`/api/chat/rooms/${room.body.id}/incoming-webhooks`, {
      name: "Graphes",
    });
    expect(hook.status).toBe(201);
    const asked: string[] = [];
    bob.page.on("request", (r) => asked.push(r.url()));
    await openRoom(bob.page, room.body.id);
    const r = await fetch(hook.body.url.replace(server.config.publicUrl, server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        text: "Charge de la semaine",
        icon_url: `${siteUrl}/img/icon.png`,
        attachments: [
          {
            author_name: "Supervision",
            author_icon: `${siteUrl}/img/author.png`,
            title: "CPU",
            image_url: `${siteUrl}/img/graph.png`,
            footer: "CI",
            footer_icon: `${siteUrl}/img/footer.png`,
          },
        ],
      }),
    });
    expect(r.status).toBe(200);
    const images = messages(bob.page, "Charge de la semaine").locator("img");
    await expect.poll(() => images.count(), { timeout: 15_000 }).toBe(3);
    for (const src of await images.evaluateAll((els) => els.map((e) => e.getAttribute("src") ?? "")))
      expect(src).toMatch(/^\/api\/chat\/preview-image\?url=/);
    // Each one loaded (the proxy fetched and re-encoded it).
    await expect
      .poll(
        () =>
          images.evaluateAll((els) =>
            els.every((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0),
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(asked.filter((u) => u.startsWith(siteUrl))).toEqual([]);
  });
});
