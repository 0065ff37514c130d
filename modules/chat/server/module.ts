import { defineModule, type EventHandler } from "@ensemble/kernel";
import { chatProblemCodes } from "../shared/problems.ts";
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
import { chatRoomSearchProvider } from "./room-search-provider.ts";
import { roomAvatarMigrations, roomAvatarRoutes } from "./room-avatars.ts";
import { chatFeatureMigrations } from "./feature-migrations.ts";
import { previewRoutes } from "./previews/preview-routes.ts";
import { previewEditHandler, previewHandler, previewTasks } from "./previews/preview-handler.ts";
import { incomingWebhookRoutes } from "./integrations/incoming-webhooks.ts";
import { outgoingWebhookHandler, outgoingWebhookRoutes } from "./integrations/outgoing-webhooks.ts";
import { slashCommandRoutes } from "./integrations/slash-commands.ts";
import { callRoutes } from "./call-routes.ts";
import { botRoutes } from "./integrations/bots.ts";
import { fileRoutes } from "./files/file-routes.ts";
import { fileLinkHandler } from "./files/file-sharing.ts";
import { muteRoutes } from "./moderation/mutes.ts";
import { reportRoutes } from "./moderation/reports.ts";
import { retentionRoutes, startRetentionJob } from "./moderation/retention.ts";
import { startCleanupJob } from "./housekeeping.ts";
import { chatEmojiMigrations, emojiRoutes, emojiTopics } from "./emoji/emoji-module.ts";

/**
 * Discutons: rooms, messages, threads, reactions, read state; link previews, integrations (webhooks, slash
 * commands, bots), files in messages, moderation, room avatars and custom emoji, each a folder of its own.
 */
const chatModule = defineModule({
  name: "chat",
  namespace: { topics: ["room:", "chat:"], names: ["chat."], urls: ["/api/chat", "/hooks"], tables: ["chat_"] },
  events: Object.values(chatEvents),
  problemCodes: chatProblemCodes,
  migrations: [...chatMigrations, ...chatFeatureMigrations, ...roomAvatarMigrations, ...chatEmojiMigrations],
  policies: chatPolicies,
  topics: (k) => [...chatTopics(k), ...emojiTopics],
  notificationKinds: chatNotificationKinds,
  searchProviders: (k) => [chatRoomSearchProvider(k), chatSearchProvider(k)],
  routes: (app, k) => {
    roomRoutes(app, k);
    memberRoutes(app, k);
    messageRoutes(app, k);
    reactionPinRoutes(app, k);
    threadDraftRoutes(app, k);
    sidebarRoutes(app, k);
    searchRoutes(app, k);
    previewRoutes(app, k);
    incomingWebhookRoutes(app, k);
    outgoingWebhookRoutes(app, k);
    slashCommandRoutes(app, k);
    callRoutes(app, k);
    botRoutes(app, k);
    fileRoutes(app, k);
    muteRoutes(app, k);
    reportRoutes(app, k);
    retentionRoutes(app, k);
    roomAvatarRoutes(app, k);
    emojiRoutes(app, k);
  },
  start: async (k) => {
    await ensureDefaultChannel(k);
    startRetentionJob(k);
    startCleanupJob(k);
  },
  eventHandlers: (k) =>
    [
      previewHandler(k),
      previewEditHandler(k),
      outgoingWebhookHandler(k),
      fileLinkHandler(k),
    ] as unknown as EventHandler[],
  stop: async (k) => {
    await previewTasks(k).drain();
  },
});

/** The module list (modules.json) loads a service through its default export. */
export default chatModule;
