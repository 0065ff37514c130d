import { IconFileText, IconTable } from "@tabler/icons-react";
import { defineWebManifest } from "@ensemble/ui";
import fr from "./i18n/manifest.fr.json" with { type: "json" };
import en from "./i18n/manifest.en.json" with { type: "json" };
import { docsProblemCodes } from "../shared/problems.ts";
import { DOC_EXTENSION } from "../shared/documents.ts";
import { SHEET_EXTENSION } from "../shared/sheets/sheet-file.ts";

/** Co-editing in the shell: labels and loaders only; the pages and the editor (`docs.tsx`) are a chunk of their own. */
export default defineWebManifest({
  name: "docs",
  messages: { fr, en },
  problemCodes: docsProblemCodes,
  routes: [
    { path: "docs/*", load: () => import("./docs.tsx") },
    // The spreadsheet (grid and formula engine) is a chunk of its own.
    { path: "sheets/*", load: () => import("./sheets/sheets.tsx") },
  ],
  nav: { label: "nav", icon: IconFileText, path: "/docs" },
  // Partageons links these files to the editor through the shell (it does not import this module).
  fileOpeners: [
    { extensions: [DOC_EXTENSION], path: "/docs/:id" },
    { extensions: [SHEET_EXTENSION], path: "/sheets/:id" },
  ],
  actions: [
    { id: "new", label: "quickActions.new", path: "/docs", icon: IconFileText },
    { id: "newSheet", label: "quickActions.newSheet", path: "/docs", icon: IconTable },
  ],
});
