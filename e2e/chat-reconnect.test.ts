import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { dropSchema, newSchemaName, startTestServer, testDbKind, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import { ct, defaultChannel, expectCount, openRoom, person, send, type Person } from "./src/chat.ts";

let browser: Browser;
let server: TestServer;
let dataDir: string;
const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
let alice: Person;
let bob: Person;
let general: string;

/** The same server again: same data directory, database schema and port (the pages keep their address). */
const start = (port?: string) =>
  startTestServer({ dataDir, ...(schema ? { schema } : {}), ...(port ? { env: { PORT: port } } : {}) });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-chat-restart-"));
  browser = await launchChromium();
  server = await start();
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  general = await defaultChannel(alice.api);
  await defaultChannel(bob.api);
  await openRoom(alice.page, general);
  await openRoom(bob.page, general);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (schema) await dropSchema(schema);
  await rm(dataDir, { recursive: true, force: true });
});

describe("Discutons across a server restart", () => {
  it("resumes without losing or duplicating a message; a failed send retried with its client key arrives once", async () => {
    await send(alice.page, "Avant la coupure");
    await expectCount(bob.page, "Avant la coupure", 1);

    const port = new URL(server.url).port;
    await server.close();
    // While the server is down, Bob's message cannot be sent: it says so and offers a retry.
    await send(bob.page, "Pendant la coupure");
    const failed = bob.page.getByTestId("pending-message").filter({ hasText: "Pendant la coupure" });
    await expect.poll(() => failed.getAttribute("data-status"), { timeout: 15_000 }).toBe("failed");

    server = await start(port);
    // A message sent as soon as the server is back, before the pages have reconnected.
    const r = await alice.api.post(`/api/chat/rooms/${general}/messages`, {
      clientKey: "after-restart-1",
      text: "Juste après le redémarrage",
    });
    expect(r.status).toBe(201);
    for (const p of [alice, bob]) await expectCount(p.page, "Juste après le redémarrage", 1);

    // The retry reuses the client key: one message, however many attempts reached the server.
    await failed.getByRole("button", { name: ct("message.retry") }).click();
    await expectCount(alice.page, "Pendant la coupure", 1);
    await expectCount(bob.page, "Pendant la coupure", 1);
    expect(await bob.page.getByTestId("pending-message").count()).toBe(0);

    // Live again in both directions, and nothing shown twice.
    await send(alice.page, "Tout est revenu");
    await send(bob.page, "Bien reçu");
    for (const p of [alice, bob]) {
      await expectCount(p.page, "Tout est revenu", 1);
      await expectCount(p.page, "Bien reçu", 1);
      await expectCount(p.page, "Avant la coupure", 1);
    }
    const history = await bob.api.get<{ items: { text: string }[] }>(`/api/chat/rooms/${general}/messages`);
    expect(history.body.items.map((m) => m.text)).toEqual([
      "Avant la coupure",
      "Juste après le redémarrage",
      "Pendant la coupure",
      "Tout est revenu",
      "Bien reçu",
    ]);
  });
});
