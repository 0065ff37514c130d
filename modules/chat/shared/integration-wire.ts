import { z } from "zod";
import { messageSchema } from "./schemas.ts";

/** What the webhook, slash command and bot routes answer (see room-wire.ts). Secrets appear only on creation. */

export const incomingHookSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  iconUrl: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type IncomingHook = z.infer<typeof incomingHookSchema>;
export const incomingHookListSchema = z.object({ items: z.array(incomingHookSchema) });
/** Its secret URL, shown once. */
export const incomingHookCreatedSchema = incomingHookSchema.extend({ url: z.string() });
export type IncomingHookCreated = z.infer<typeof incomingHookCreatedSchema>;

export const triggerWhens = ["first_word", "starts_with"] as const;
export const outgoingHookSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  name: z.string(),
  url: z.string(),
  triggerWords: z.array(z.string()),
  triggerWhen: z.enum(triggerWhens),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type OutgoingHook = z.infer<typeof outgoingHookSchema>;
export const outgoingHookListSchema = z.object({ items: z.array(outgoingHookSchema) });
export const outgoingHookCreatedSchema = outgoingHookSchema.extend({ token: z.string(), signingSecret: z.string() });
export type OutgoingHookCreated = z.infer<typeof outgoingHookCreatedSchema>;

export const slashCommandSchema = z.object({
  /** Built-in commands have none. */
  id: z.string().optional(),
  command: z.string(),
  description: z.string(),
  builtIn: z.boolean(),
  /** Only administrators see where a custom command posts. */
  url: z.string().optional(),
  createdAt: z.string().optional(),
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;
export const slashCommandListSchema = z.object({ items: z.array(slashCommandSchema) });
export const slashCommandCreatedSchema = slashCommandSchema.extend({ token: z.string() });
export type SlashCommandCreated = z.infer<typeof slashCommandCreatedSchema>;

/**
 * A command's outcome: posted in the room (a built-in answers the message, a
 * custom command its id), answered to the person alone, or nothing to show.
 */
export const commandRunSchema = z.discriminatedUnion("responseType", [
  z.object({
    responseType: z.literal("in_channel"),
    message: messageSchema.optional(),
    messageId: z.string().optional(),
  }),
  z.object({ responseType: z.literal("ephemeral"), text: z.string() }),
  z.object({ responseType: z.literal("none") }),
]);
export type CommandRun = z.infer<typeof commandRunSchema>;
/** A response_url's answer. */
export const responseUrlAnswerSchema = z.object({
  ok: z.literal(true),
  responseType: z.enum(["in_channel", "ephemeral", "none"]),
});

export const botSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  description: z.string(),
  /** False once deactivated: its tokens stop working. */
  active: z.boolean(),
  createdAt: z.string(),
});
export type Bot = z.infer<typeof botSchema>;
export const botListSchema = z.object({ items: z.array(botSchema) });
/** The bot's token, shown once. */
export const botCreatedSchema = z.object({
  bot: botSchema.pick({ id: true, username: true, displayName: true, description: true }),
  token: z.string(),
});
export type BotCreated = z.infer<typeof botCreatedSchema>;
