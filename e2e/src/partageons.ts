import { expect } from "vitest";
import type { Browser } from "playwright-core";
import type { TestServer } from "@ensemble/testkit";
import { newContext } from "./browser.ts";
import { PASSWORD, signIn, watchConsole } from "./shell.ts";

/**
 * Alice and Bob in a group with a group folder, and a co-edited file Alice
 * made there through Partageons' API (as the web does). Each signs in in a
 * browser context of their own; Alice opens the file from the folder's list
 * (its file opener), Bob from its address; both wait for the page's heading
 * and for the save state (`saveTestId`) to say « saved ».
 */
export async function openedByTwo(
  env: { browser: Browser; server: TestServer },
  opts: { group: string; fileName: string; marker: string; mediaType: string; path: string; saveTestId: string },
) {
  const { server } = env;
  const alice = await server.createUser({ displayName: "Alice Martin" });
  const bob = await server.createUser({ displayName: "Bob Durand" });
  const { client: admin } = await server.signedIn({ role: "admin" });
  const group = await admin.post<{ id: string }>("/api/groups", { name: opts.group });
  for (const u of [alice, bob]) await admin.post(`/api/groups/${group.body.id}/members`, { userId: u.id });
  const folder = await admin.post<{ rootId: string }>("/api/files/group-folders", {
    groupId: group.body.id,
    name: opts.group,
  });
  const aliceApi = server.client();
  await aliceApi.post("/api/auth/sign-in", { login: alice.username, password: PASSWORD });
  const file = await aliceApi.request<{ id: string }>(
    "PUT",
    `/api/files/nodes/${folder.body.rootId}/files?name=${encodeURIComponent(opts.fileName)}`,
    undefined,
    { raw: Buffer.from(opts.marker), headers: { "content-type": opts.mediaType } },
  );
  expect(file.status, file.text).toBe(200);

  const a = await newContext(env.browser, server.url);
  const b = await newContext(env.browser, server.url);
  const problems = [watchConsole(a.page), watchConsole(b.page)];
  await signIn(a.page, "fr", alice.username);
  await signIn(b.page, "fr", bob.username);
  await a.page.goto(`/files/${folder.body.rootId}`);
  await a.page.getByRole("link", { name: opts.fileName, exact: true }).click();
  await b.page.goto(opts.path.replace(":id", file.body.id));
  const title = opts.fileName.slice(0, opts.fileName.lastIndexOf("."));
  for (const p of [a.page, b.page]) {
    await p.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect.poll(() => p.getByTestId(opts.saveTestId).getAttribute("data-state")).toBe("saved");
  }
  return { a, b, problems, fileId: file.body.id, folderId: folder.body.rootId };
}
