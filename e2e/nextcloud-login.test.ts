import { describe, expect, it } from "vitest";
import { loginFlowTexts } from "../modules/files/server/nextcloud/login-flow-page.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn } from "./src/shell.ts";
import { axeViolations as seriousViolations } from "./src/a11y.ts";

const env = browserAndServer();
const t = loginFlowTexts.fr;

/** Nextcloud login flow v2 as a person sees it: the page the desktop client opens in the browser. */
describe("Nextcloud login flow in the browser", () => {
  it("asks to sign in, then grants the client an app password with one button; axe-clean", async () => {
    const user = await env.server.createUser({ displayName: "Alice Martin" });
    const start = (await (
      await fetch(`${env.server.url}/index.php/login/v2`, {
        method: "POST",
        headers: { "user-agent": "Nextcloud-desktop" },
      })
    ).json()) as { poll: { token: string; endpoint: string }; login: string };
    const poll = () =>
      fetch(start.poll.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `token=${encodeURIComponent(start.poll.token)}`,
      });
    const { context, page } = await newContext(env.browser, env.server.url);

    await page.goto(start.login);
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    await page.getByRole("link", { name: t.signInLink }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await signIn(page, "fr", user.username);
    await page.goto(start.login);
    await page.getByText(t.ask("Nextcloud-desktop", `Alice Martin (${user.username})`)).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect((await poll()).status).toBe(404);
    await page.getByRole("button", { name: t.grant }).click();
    await page.getByText(t.granted).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const got = (await (await poll()).json()) as { loginName: string; appPassword: string };
    expect(got.loginName).toBe(user.username);
    expect(got.appPassword.length).toBeGreaterThan(20);
    await context.close();
  });
});
