import { describe, expect, it } from "vitest";
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";

const env = browserAndServer();

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
    await b.page.getByTestId("user-menu").click();
    await b.page.getByRole("menuitem", { name: tr("fr", "people.presence.dnd"), exact: true }).click();
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
});
