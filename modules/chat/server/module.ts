import { defineModule } from "@ensemble/kernel";
import { chatEvents } from "./events.ts";
import { chatMigrations } from "./migrations.ts";
import { chatPolicies } from "./policies.ts";
import { chatTopics } from "./topics.ts";
import { roomRoutes } from "./room-routes.ts";
import { memberRoutes } from "./member-routes.ts";
import { messageRoutes } from "./message-routes.ts";
import { reactionPinRoutes } from "./reaction-pin-routes.ts";
import { threadDraftRoutes } from "./thread-draft-routes.ts";
import { sidebarRoutes } from "./sidebar-routes.ts";
import { searchRoutes } from "./search-routes.ts";
import { ensureDefaultChannel } from "./default-channel.ts";
import { chatNotificationKinds } from "./notify-message.ts";
import { chatSearchProvider } from "./search-provider.ts";
import { roomAvatarMigrations, roomAvatarRoutes } from "./room-avatars.ts";
import {
  chatExtrasEventHandlers,
  chatExtrasMigrations,
  chatExtrasRoutes,
  chatExtrasStart,
  chatExtrasStop,
} from "./extras/extras-module.ts";
import { chatEmojiMigrations, emojiRoutes, emojiTopics } from "./emoji/emoji-module.ts";

/** Discutons: rooms, messages, threads, reactions, read state (server core). */
export const chatModule = defineModule({
  name: "chat",
  namespace: { topics: ["room:", "chat:"], names: ["chat."], urls: ["/api/chat", "/hooks"], tables: ["chat_"] },
  events: Object.values(chatEvents),
  migrations: [...chatMigrations, ...chatExtrasMigrations, ...roomAvatarMigrations, ...chatEmojiMigrations],
  policies: chatPolicies,
  topics: (k) => [...chatTopics(k), ...emojiTopics],
  notificationKinds: chatNotificationKinds,
  searchProviders: (k) => [chatSearchProvider(k)],
  routes: (app, k) => {
    roomRoutes(app, k);
    memberRoutes(app, k);
    messageRoutes(app, k);
    reactionPinRoutes(app, k);
    threadDraftRoutes(app, k);
    sidebarRoutes(app, k);
    searchRoutes(app, k);
    chatExtrasRoutes(app, k);
    roomAvatarRoutes(app, k);
    emojiRoutes(app, k);
  },
  start: async (k) => {
    await ensureDefaultChannel(k);
    await chatExtrasStart(k);
  },
  eventHandlers: (k) => chatExtrasEventHandlers(k),
  stop: (k) => chatExtrasStop(k),
});

/** The module list (modules.json) loads a service through its default export. */
export default chatModule;
