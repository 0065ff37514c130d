import type { Kernel } from "@ensemble/kernel";
import { chatSettingsSchema, type ChatSettings } from "../shared/settings.ts";

/** Chat settings: the kernel's `chat` settings namespace (cached per node for a few seconds like the org settings). */
export const chatSettings = (k: Kernel) => k.settings.namespace("chat", chatSettingsSchema);

export const getChatSettings = (k: Kernel): Promise<ChatSettings> => chatSettings(k).get();

export const updateChatSettings = (k: Kernel, patch: Partial<ChatSettings>): Promise<ChatSettings> =>
  chatSettings(k).patch(patch);
