import { describe, expect, it } from "vitest";
import { browserAndServer, newContext } from "./src/browser.ts";
import { ct } from "./src/chat.ts";
import { signIn } from "./src/shell.ts";

const env = browserAndServer();

describe("home page (Accueil)", () => {
  it("lists the chat rooms where I have unread mentions and opens one", async () => {
    const author = await env.server.signedIn({ displayName: "Gilles Faure" });
    const reader = await env.server.createUser({ displayName: "Hélène Roche" });
    const room = await author.client.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "projet-tram",
      name: "projet-tram",
      memberIds: [reader.id],
    });
    expect(room.status).toBe(201);
    const sent = await author.client.post(`/api/chat/rooms/${room.body.id}/messages`, {
      clientKey: "home-1",
      text: `@${reader.username} le planning est prêt`,
    });
    expect(sent.status).toBe(201);

    const { context, page } = await newContext(env.browser, env.server.url);
    await signIn(page, "fr", reader.username);
    // The card comes from the chat's manifest, with its own texts.
    const card = page.getByRole("region", { name: ct("home.mentions") });
    await card.getByText(ct("home.mentionCount", { count: 1 })).waitFor();
    await card.getByRole("link", { name: "#projet-tram" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/chat/${room.body.id}`);
    await context.close();
  });
});
