import { IconFolders } from "@tabler/icons-react";
import { defineWebManifest } from "@ensemble/ui";
import fr from "./i18n/manifest.fr.json" with { type: "json" };
import en from "./i18n/manifest.en.json" with { type: "json" };
import { filesProblemCodes } from "../shared/problems.ts";

/** Partageons in the shell: labels and loaders only; the page (`files.tsx`) is a chunk of its own. */
export default defineWebManifest({
  name: "files",
  messages: { fr, en },
  problemCodes: filesProblemCodes,
  routes: [{ path: "files/*", load: () => import("./files.tsx") }],
  // A public link is opened by people without an account: its page stands outside the signed-in layout.
  publicRoutes: [{ path: "s/:token", load: () => import("./PublicLinkPage.tsx") }],
  nav: { label: "nav", icon: IconFolders, path: "/files" },
  notificationKinds: { "files.share": "notificationKinds.share" },
  actions: [{ id: "open", label: "quickActions.open", path: "/files", icon: IconFolders }],
});
