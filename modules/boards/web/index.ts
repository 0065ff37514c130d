import { IconLayoutKanban } from "@tabler/icons-react";
import { defineWebManifest } from "@ensemble/ui";
import fr from "./i18n/manifest.fr.json" with { type: "json" };
import en from "./i18n/manifest.en.json" with { type: "json" };
import { boardsProblemCodes } from "../shared/problems.ts";

/**
 * Planifions in the shell: labels, icons and loaders only; the boards pages
 * (`boards.tsx`, named after the service: its chunk is `boards-<hash>.js`)
 * are a chunk of their own. The texts are few enough to load with the labels.
 */
export default defineWebManifest({
  name: "boards",
  messages: { fr, en },
  problemCodes: boardsProblemCodes,
  routes: [{ path: "boards/*", load: () => import("./boards.tsx") }],
  nav: { label: "nav", icon: IconLayoutKanban, path: "/boards" },
  actions: [{ id: "open", label: "quickActions.open", path: "/boards", icon: IconLayoutKanban }],
});
