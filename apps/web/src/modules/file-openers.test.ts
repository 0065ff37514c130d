import { describe, expect, it } from "vitest";
import { fileOpenPath } from "@ensemble/ui";
// The shell's own list (virtual:ensemble-modules, from modules.json).
import { manifests } from "./manifests.ts";

/** The shell's registry of file openers, as Partageons' file list asks it (useWebHost().openPath). */
describe("file openers", () => {
  it("opens a co-edited document in the docs editor, a spreadsheet in the grid, and leaves other files to download", () => {
    expect(fileOpenPath(manifests, { id: "0191-a", name: "Compte rendu.ENSDOC", mediaType: null })).toBe(
      "/docs/0191-a",
    );
    expect(fileOpenPath(manifests, { id: "0191-d", name: "Budget.enssheet", mediaType: null })).toBe("/sheets/0191-d");
    expect(fileOpenPath(manifests, { id: "0191-b", name: "photo.jpg", mediaType: "image/jpeg" })).toBeNull();
    expect(fileOpenPath(manifests, { id: "0191-c", name: "notes.ensdoc.bak", mediaType: null })).toBeNull();
  });

  it("matches media types without case or parameters, first opener in list order wins, ids are escaped", () => {
    const list = [
      { fileOpeners: [{ mediaTypes: ["text/markdown"], path: "/first/:id" as const }] },
      { fileOpeners: [{ extensions: [".md"], path: "/second/:id/edit" as const }] },
    ];
    expect(fileOpenPath(list, { id: "x", name: "a.txt", mediaType: "Text/Markdown; charset=utf-8" })).toBe("/first/x");
    expect(fileOpenPath(list, { id: "x/y", name: "a.md" })).toBe("/second/x%2Fy/edit");
    expect(fileOpenPath([{}, ...list], { id: "x", name: "a.pdf", mediaType: "application/pdf" })).toBeNull();
  });

  it("every declared opener leads to a page of its own module", () => {
    const openers = manifests.flatMap((m) => (m.fileOpeners ?? []).map((o) => ({ m, o })));
    expect(openers.length).toBeGreaterThan(0);
    for (const { m, o } of openers) {
      const path = o.path.replace(":id", "x").slice(1);
      const covered = (m.routes ?? []).some((r) =>
        r.path.endsWith("/*") ? path.startsWith(r.path.slice(0, -1)) : path === r.path,
      );
      expect(covered, `${m.name}: ${o.path}`).toBe(true);
    }
  });
});
