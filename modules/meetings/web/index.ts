import { IconVideo, IconVideoPlus } from "@tabler/icons-react";
import { defineWebManifest } from "@ensemble/ui";
import fr from "./i18n/manifest.fr.json" with { type: "json" };
import en from "./i18n/manifest.en.json" with { type: "json" };
import { meetingsProblemCodes } from "../shared/problems.ts";

/** Réunions in the shell: labels, icons and the loader of its page (a chunk of its own). */
export default defineWebManifest({
  name: "meetings",
  messages: { fr, en },
  problemCodes: meetingsProblemCodes,
  routes: [{ path: "meetings/*", load: () => import("./meetings.tsx") }],
  // A meeting's link is for people without an account too: the room is a page of its own.
  publicRoutes: [{ path: "meetings/:code", load: () => import("./meeting-room.tsx") }],
  nav: { label: "nav", icon: IconVideo, path: "/meetings" },
  actions: [
    { id: "open", label: "quickActions.open", path: "/meetings", icon: IconVideo },
    { id: "new", label: "quickActions.new", path: "/meetings?new=1", icon: IconVideoPlus },
  ],
});
