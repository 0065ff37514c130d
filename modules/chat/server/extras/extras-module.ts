import type { FastifyInstance } from "fastify";
import type { EventHandler, Kernel } from "@ensemble/kernel";
import "../events.ts";
import { chatExtrasMigrations } from "./extras-migrations.ts";
import { previewRoutes } from "../previews/preview-routes.ts";
import { previewEditHandler, previewHandler, previewTasks } from "../previews/preview-handler.ts";
import { incomingWebhookRoutes } from "../integrations/incoming-webhooks.ts";
import { outgoingWebhookHandler, outgoingWebhookRoutes } from "../integrations/outgoing-webhooks.ts";
import { slashCommandRoutes } from "../integrations/slash-commands.ts";
import { botRoutes } from "../integrations/bots.ts";
import { fileRoutes } from "../files/file-routes.ts";
import { fileLinkHandler } from "../files/file-sharing.ts";
import { muteRoutes } from "../moderation/mutes.ts";
import { reportRoutes } from "../moderation/reports.ts";
import { retentionRoutes, startRetentionJob } from "../moderation/retention.ts";
import { startCleanupJob } from "./cleanup.ts";

/**
 * Link previews, integrations (webhooks, slash commands, bots), files in
 * messages and moderation: plugged into the chat module by module.ts.
 */
export { chatExtrasMigrations };

export function chatExtrasRoutes(app: FastifyInstance, k: Kernel): void {
  previewRoutes(app, k);
  incomingWebhookRoutes(app, k);
  outgoingWebhookRoutes(app, k);
  slashCommandRoutes(app, k);
  botRoutes(app, k);
  fileRoutes(app, k);
  muteRoutes(app, k);
  reportRoutes(app, k);
  retentionRoutes(app, k);
}

export function chatExtrasEventHandlers(k: Kernel): EventHandler[] {
  return [
    previewHandler(k),
    previewEditHandler(k),
    outgoingWebhookHandler(k),
    fileLinkHandler(k),
  ] as unknown as EventHandler[];
}

export async function chatExtrasStart(k: Kernel): Promise<void> {
  startRetentionJob(k);
  startCleanupJob(k);
}

export async function chatExtrasStop(k: Kernel): Promise<void> {
  await previewTasks(k).drain();
}
