import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Route } from "playwright-core";
import fr from "../modules/files/web/i18n/manifest.fr.json" with { type: "json" };
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn, watchConsole } from "./src/shell.ts";
import { axeViolations } from "./src/a11y.ts";
import { run } from "../modules/files/server/test/dav-fixtures.ts";

const env = browserAndServer();
const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? "");
const MiB = 1024 * 1024;

describe("Partageons: resumable uploads in the browser (tus)", () => {
  it("shows progress per file and in total, pauses and resumes, and resumes by itself after a cut", async () => {
    const user = await env.server.createUser({ displayName: "Alice Martin" });
    const { context, page } = await newContext(env.browser, env.server.url);
    const problems = watchConsole(page);
    await signIn(page, "fr", user.username);
    await page.goto("/files");
    await page.getByText(fr.page.empty).waitFor();

    // The second part of each file is held (pause) or cut (a network failure) before it leaves the browser.
    let patches = 0;
    let held: Route | null = null;
    let heldNow: () => void = () => undefined;
    const heldSeen = new Promise<void>((r) => (heldNow = r));
    let mode: "hold" | "cut" = "hold";
    await page.route("**/api/files/uploads/*", async (route) => {
      if (route.request().method() !== "PATCH") return route.continue();
      patches++;
      if (patches !== 2) return route.continue();
      if (mode === "cut") return route.abort("connectionreset");
      held = route;
      heldNow();
    });

    // Files on disk: the browser reads them by path (a buffer would cross the DevTools protocol).
    const dir = await mkdtemp(path.join(tmpdir(), "tus-e2e-"));
    const big = randomBytes(17 * MiB);
    const grosPath = path.join(dir, "gros.bin");
    const coupePath = path.join(dir, "coupé.bin");
    await writeFile(grosPath, big);
    await writeFile(coupePath, big);
    await page.getByTestId("files-upload-input").setInputFiles(grosPath);
    const row = page.getByTestId("files-upload-row").filter({ hasText: "gros.bin" });
    await heldSeen;
    await row.getByRole("button", { name: fill(fr.uploads.pause, { name: "gros.bin" }) }).click();
    await page.locator('[data-testid="files-upload-row"][data-state="paused"]').waitFor();
    const partial = Number(await row.getByRole("progressbar").getAttribute("aria-valuenow"));
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(100);
    // Nothing half-written shows in the folder.
    expect(
      await page
        .getByTestId("files-list")
        .getByRole("row", { name: /gros\.bin/ })
        .count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await (held as Route | null)?.abort().catch(() => undefined);

    await row.getByRole("button", { name: fill(fr.uploads.resume, { name: "gros.bin" }) }).click();
    await page.locator('[data-testid="files-upload-row"][data-state="done"]').waitFor();
    await page
      .getByTestId("files-list")
      .getByRole("row", { name: /gros\.bin/ })
      .waitFor();
    expect(await page.getByTestId("files-uploads-total").getByRole("progressbar").getAttribute("aria-valuenow")).toBe(
      "100",
    );

    // A cut mid-upload: the client asks where it stopped and sends the rest, untouched by the person.
    patches = 0;
    mode = "cut";
    await page.getByTestId("files-upload-input").setInputFiles(coupePath);
    await page
      .getByTestId("files-list")
      .getByRole("row", { name: /coupé\.bin/ })
      .waitFor();
    expect(patches).toBeGreaterThanOrEqual(4);
    const listing = await page.evaluate(async () => {
      const spaces = (await (await fetch("/api/files/spaces")).json()) as { spaces: { rootId: string }[] };
      const l = (await (await fetch(`/api/files/nodes/${spaces.spaces[0]!.rootId}`)).json()) as {
        children: { name: string; size: number }[];
      };
      return l.children.map((c) => [c.name, c.size]);
    });
    expect(listing).toEqual([
      ["coupé.bin", big.length],
      ["gros.bin", big.length],
    ]);

    // A folder downloads as a ZIP archive of what it holds.
    await page.evaluate(async (rootFile) => {
      const csrf = /ensemble_csrf=([^;]+)/.exec(document.cookie)![1]!;
      const spaces = (await (await fetch("/api/files/spaces")).json()) as { spaces: { rootId: string }[] };
      const made = await fetch(`/api/files/nodes/${spaces.spaces[0]!.rootId}/folders`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": decodeURIComponent(csrf) },
        body: JSON.stringify({ name: "Archive" }),
      });
      const { id } = (await made.json()) as { id: string };
      await fetch(`/api/files/nodes/${id}/files?name=${rootFile}`, {
        method: "PUT",
        headers: { "content-type": "text/plain", "x-csrf-token": decodeURIComponent(csrf) },
        body: "dans l'archive",
      });
    }, "note.txt");
    await page.reload();
    const archiveRow = page.getByTestId("files-list").getByRole("row", { name: /Archive/ });
    const zipDownload = page.waitForEvent("download");
    await archiveRow.getByRole("link", { name: fill(fr.page.downloadZip, { name: "Archive" }) }).click();
    const zipFile = path.join(dir, "archive.zip");
    await (await zipDownload).saveAs(zipFile);
    const listed = await run("/usr/bin/unzip", ["-Z1", zipFile]);
    expect(listed.out.trim().split("\n").sort()).toEqual(["Archive/", "Archive/note.txt"]);
    expect(problems).toEqual([]);
    await context.close();
    await rm(dir, { recursive: true, force: true });
  });
});
