import { IconAt, IconMessages } from "@tabler/icons-react";
import { defineWebManifest } from "@ensemble/ui";
import fr from "./i18n/manifest.fr.json" with { type: "json" };
import en from "./i18n/manifest.en.json" with { type: "json" };
import { chatProblemCodes } from "../shared/problems.ts";

/**
 * Discutons in the shell: loaded at start, so it holds only labels, icons and
 * loaders; the chat itself (`chat.tsx`) and its home card are chunks of their own.
 */
export default defineWebManifest({
  name: "chat",
  messages: { fr, en },
  routes: [{ path: "chat/*", load: () => import("./chat.tsx") }],
  nav: { label: "nav", icon: IconMessages, path: "/chat" },
  homeCards: [
    {
      id: "mentions",
      title: "home.mentions",
      icon: IconAt,
      link: { label: "home.open", path: "/chat" },
      load: () => import("./HomeMentions.tsx"),
    },
  ],
  searchTypes: { "chat.room": "searchTypes.room", "chat.message": "searchTypes.message" },
  notificationKinds: {
    "chat.mention": "notificationKinds.mention",
    "chat.direct": "notificationKinds.direct",
    "chat.thread_reply": "notificationKinds.thread_reply",
  },
  problemCodes: chatProblemCodes,
  actions: [{ id: "open", label: "quickActions.open", path: "/chat", icon: IconMessages }],
});
