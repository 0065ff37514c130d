import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, route, type Kernel } from "@ensemble/kernel";
import type { ChatMessage } from "../../shared/schemas.ts";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { chatDb } from "../tables.ts";
import { asActor, postEphemeral } from "./ephemeral.ts";
import {
  commandName,
  customCommandRoutes,
  runCustomCommand,
  type CommandContext,
  type CommandResult,
} from "./custom-commands.ts";
import { slashAnswer, type SlashAnswer } from "./slash-answers.ts";
import { commandRunSchema } from "../../shared/integration-wire.ts";

const runBody = z
  .object({
    command: commandName,
    text: z.string().max(4000).default(""),
    parentId: z.uuid().optional(),
    /** Makes a command that posts a message idempotent, like a send. */
    clientKey: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

const SHRUG = "¯\\\\\\_(ツ)\\_/¯";

/** `@name` or `name` → the user's id, or null. */
async function userByName(k: Kernel, text: string): Promise<{ id: string; username: string } | null> {
  const name = text.trim().replace(/^@/, "").toLowerCase();
  if (!/^[a-z0-9._-]{1,64}$/.test(name)) return null;
  return (
    (await chatDb(k)
      .selectFrom("users")
      .select(["id", "username"])
      .where("username", "=", name)
      .where("deactivated", "=", 0)
      .executeTakeFirst()) ?? null
  );
}

type Run = (
  c: CommandContext & { text: string; clientKey: string; req: FastifyRequest; app: FastifyInstance; k: Kernel },
) => Promise<CommandResult | { responseType: "in_channel"; message: ChatMessage }>;

const send = async (c: Parameters<Run>[0], text: string) => {
  const message = (await asActor(c.app, c.req, "POST", `/api/chat/rooms/${c.room.id}/messages`, {
    clientKey: c.clientKey,
    text,
    ...(c.parentId ? { parentId: c.parentId } : {}),
  })) as ChatMessage;
  return { responseType: "in_channel" as const, message };
};

const tell = async (c: Parameters<Run>[0], key: SlashAnswer, value?: string): Promise<CommandResult> => {
  const me = await chatDb(c.k).selectFrom("users").select("locale").where("id", "=", c.actor.id).executeTakeFirst();
  const text = slashAnswer(me?.locale, key, value);
  await postEphemeral(c.k, { userId: c.actor.id, roomId: c.room.id, parentId: c.parentId }, { text });
  return { responseType: "ephemeral", text };
};

const usage = (text: string) => new AppError("validation", text, { errors: [{ path: "text", message: text }] });

/** Built-in commands: each does what the matching route does, through that route. */
const BUILT_IN_RUNS: Record<string, Run> = {
  "/me": async (c) => {
    if (!c.text.trim()) throw usage("usage: /me <action>");
    return send(c, `_${c.text.trim()}_`);
  },
  "/shrug": async (c) => send(c, c.text.trim() ? `${c.text.trim()} ${SHRUG}` : SHRUG),
  "/topic": async (c) => {
    await asActor(c.app, c.req, "PATCH", `/api/chat/rooms/${c.room.id}`, { topic: c.text.trim() });
    return c.text.trim() ? tell(c, "topicSet", c.text.trim()) : tell(c, "topicCleared");
  },
  "/invite": async (c) => {
    const u = await userByName(c.k, c.text);
    if (!u) throw usage("usage: /invite @username");
    await asActor(c.app, c.req, "POST", `/api/chat/rooms/${c.room.id}/members`, { userIds: [u.id] });
    return tell(c, "invited", u.username);
  },
  "/leave": async (c) => {
    await asActor(c.app, c.req, "POST", `/api/chat/rooms/${c.room.id}/leave`, {});
    return { responseType: "none" };
  },
  "/mute": async (c) => {
    if (c.text.trim()) {
      const u = await userByName(c.k, c.text.split(/\s+/)[0] ?? "");
      if (!u) throw usage("usage: /mute or /mute @username [minutes]");
      const minutes = Number(c.text.trim().split(/\s+/)[1] ?? "");
      await asActor(c.app, c.req, "POST", `/api/chat/rooms/${c.room.id}/mutes`, {
        userId: u.id,
        ...(Number.isInteger(minutes) && minutes > 0 ? { minutes } : {}),
      });
      return tell(c, "userMuted", u.username);
    }
    await asActor(c.app, c.req, "PATCH", `/api/chat/rooms/${c.room.id}/preferences`, { muted: true });
    return tell(c, "roomMuted");
  },
  "/unmute": async (c) => {
    if (c.text.trim()) {
      const u = await userByName(c.k, c.text);
      if (!u) throw usage("usage: /unmute or /unmute @username");
      await asActor(c.app, c.req, "DELETE", `/api/chat/rooms/${c.room.id}/mutes/${u.id}`, undefined);
      return tell(c, "userUnmuted", u.username);
    }
    await asActor(c.app, c.req, "PATCH", `/api/chat/rooms/${c.room.id}/preferences`, { muted: false });
    return tell(c, "roomUnmuted");
  },
  // A call through the room's call route: an instant meeting (Réunions) and its join message here.
  "/call": async (c) => ({
    responseType: "in_channel",
    message: (await asActor(c.app, c.req, "POST", `/api/chat/rooms/${c.room.id}/call`, {})) as ChatMessage,
  }),
};

/** Slash commands typed in a room's composer: built-ins, then the administrators' custom ones. */
export function slashCommandRoutes(app: FastifyInstance, k: Kernel): void {
  customCommandRoutes(app, k);

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/commands",
    summary:
      "Run a slash command in a room (/me, /shrug, /topic, /invite, /leave, /mute, /unmute, /call, or a custom one)",
    tags: ["chat", "integrations"],
    auth: "user",
    rateLimit: { max: 120, timeWindow: "1 minute", per: "credential" },
    params: z.object({ id: z.uuid() }),
    body: runBody,
    // A retried command (its clientKey) is answered once: /invite or /mute do not run twice.
    idempotent: true,
    response: commandRunSchema,
    handler: async ({ actor, params, body, req }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "read",
        await loadRoom(chatDb(k), params.id, actor),
      );
      const ctx = {
        actor,
        room,
        parentId: body.parentId ?? null,
        text: body.text,
        clientKey: body.clientKey ?? uuidv7(),
        req,
        app,
        k,
      };
      const builtIn = BUILT_IN_RUNS[body.command];
      if (builtIn) return builtIn(ctx);
      const custom = await chatDb(k)
        .selectFrom("chat_slash_commands")
        .selectAll()
        .where("command", "=", body.command)
        .executeTakeFirst();
      if (!custom) throw new AppError("not_found", `unknown command ${body.command}`);
      // A custom command may answer in the room: only those who may post there run one.
      await k.policy.authorize(actor, ChatRoomResource, "post", room);
      return runCustomCommand(k, custom, ctx, body.text);
    },
  });
}
