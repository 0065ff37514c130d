import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import {
  anonymous,
  AppError,
  authorizeOrg,
  mayInOrg,
  noContent,
  randomToken,
  route,
  sha256,
  type Actor,
  type Kernel,
  type UserActor,
} from "@ensemble/kernel";
import {
  responseUrlAnswerSchema,
  slashCommandCreatedSchema,
  slashCommandListSchema,
  type SlashCommand,
} from "../../shared/integration-wire.ts";
import { postMessage } from "../post-message.ts";
import { ChatOrgResource, ChatRoomResource, type RoomRecord } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { chatDb } from "../tables.ts";
import { type ChatSlashCommandsTable } from "./integration-tables.ts";
import { PreviewService } from "../previews/preview-service.ts";
import { postEphemeral } from "./ephemeral.ts";
import { signRequest, TEAM_ID } from "./outgoing-webhooks.ts";
import {
  blocksToMarkdown,
  MAX_TEXT,
  mrkdwnToMarkdown,
  slackBody,
  slackPayloadSchema,
  toAttachments,
} from "./slack-payload.ts";

export const commandName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^\/[a-z0-9][a-z0-9_-]{0,31}$/, "a slash and up to 32 letters, digits, - or _");

const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_USES = 5;

const present = (c: ChatSlashCommandsTable, withUrl: boolean): SlashCommand => ({
  id: c.id,
  command: c.command,
  description: c.description,
  builtIn: false,
  ...(withUrl ? { url: c.url, createdAt: c.created_at } : {}),
});

export interface CommandContext {
  actor: UserActor;
  room: RoomRecord;
  parentId: string | null;
}

/** What a command answered, as the caller reports it. */
export type CommandResult =
  | { responseType: "in_channel"; messageId: string }
  | { responseType: "ephemeral"; text: string }
  | { responseType: "none" };

/** A Slack-style reply (synchronous answer or a later POST to the response URL) delivered where it asks. */
async function deliverReply(
  k: Kernel,
  cmd: { command: string },
  ctx: { userId: string; roomId: string; parentId: string | null },
  body: unknown,
): Promise<CommandResult> {
  const parsed = slackPayloadSchema.safeParse(body);
  if (!parsed.success) return { responseType: "none" };
  const p = parsed.data;
  const previews = new PreviewService(chatDb(k), k);
  const attachments = await toAttachments(p, (u) => previews.imagePath(u));
  const text = (blocksToMarkdown(p.blocks) || mrkdwnToMarkdown(p.text ?? "")).slice(0, MAX_TEXT);
  const username = p.username ?? cmd.command;
  if ((body as { response_type?: unknown }).response_type === "in_channel") {
    const posted = await chatDb(k)
      .transaction()
      .execute((tx) =>
        postMessage(k, tx, {
          roomId: ctx.roomId,
          authorId: null,
          kind: "bot",
          text,
          parentId: ctx.parentId,
          attachments,
          meta: { username, command: cmd.command, invokedBy: ctx.userId },
        }),
      );
    return { responseType: "in_channel", messageId: posted.message.id };
  }
  await postEphemeral(k, ctx, { text, username, attachments });
  return { responseType: "ephemeral", text };
}

/** Runs an administrator-defined command: Slack's form fields POSTed to its URL, the answer delivered. */
export async function runCustomCommand(
  k: Kernel,
  cmd: ChatSlashCommandsTable,
  c: CommandContext,
  text: string,
): Promise<CommandResult> {
  const db = chatDb(k);
  const responseToken = randomToken(24);
  await db
    .insertInto("chat_response_urls")
    .values({
      token_hash: sha256(responseToken),
      room_id: c.room.id,
      user_id: c.actor.id,
      command: cmd.command,
      uses: 0,
      expires_at: new Date(Date.now() + RESPONSE_URL_TTL_MS).toISOString(),
    })
    .execute();
  const fields = {
    token: cmd.token,
    team_id: TEAM_ID,
    team_domain: new URL(k.config.publicUrl).hostname,
    channel_id: c.room.id,
    channel_name: c.room.slug ?? c.room.name,
    user_id: c.actor.id,
    user_name: c.actor.username,
    command: cmd.command,
    text,
    response_url: `${k.config.publicUrl}/hooks/commands/${responseToken}`,
    trigger_id: randomBytes(12).toString("hex"),
  };
  const body = new URLSearchParams(fields).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const where = { userId: c.actor.id, roomId: c.room.id, parentId: c.parentId };
  let res;
  try {
    res = await k.net.fetch(cmd.url, {
      method: "POST",
      body,
      maxBytes: 262_144,
      timeoutMs: 5_000,
      maxRedirects: 0,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json,text/plain",
        "x-ensemble-request-timestamp": timestamp,
        "x-ensemble-signature": signRequest(cmd.token, timestamp, body),
      },
    });
  } catch (e) {
    k.log.warn({ command: cmd.command, err: (e as Error).message }, "custom slash command unreachable");
    const text = `La commande ${cmd.command} est injoignable.`;
    await postEphemeral(k, where, { text });
    return { responseType: "ephemeral", text };
  }
  if (res.status !== 200) {
    const text = `La commande ${cmd.command} a échoué (HTTP ${res.status}).`;
    await postEphemeral(k, where, { text });
    return { responseType: "ephemeral", text };
  }
  const raw = res.body.toString("utf8").trim();
  if (!raw) return { responseType: "none" };
  if (/json/i.test(res.headers["content-type"] ?? "")) {
    try {
      return await deliverReply(k, cmd, where, JSON.parse(raw));
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
  }
  // Slack shows a plain-text answer to the person who typed the command.
  await postEphemeral(k, where, { text: raw.slice(0, 4000), username: cmd.command });
  return { responseType: "ephemeral", text: raw.slice(0, 4000) };
}

/** The person who ran a command, as an actor of their own (a deactivated account is nobody). */
async function invokerActor(k: Kernel, userId: string): Promise<Actor> {
  const u = await chatDb(k)
    .selectFrom("users")
    .select(["id", "username", "role"])
    .where("id", "=", userId)
    .where("deactivated", "=", 0)
    .executeTakeFirst();
  if (!u) return anonymous;
  return { kind: "user", ...u, scopes: null, sessionId: null, tokenId: null };
}

export function customCommandRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);
  const admin = (a: UserActor) => authorizeOrg(k, a, ChatOrgResource, "administer");

  route(app, {
    method: "POST",
    url: "/api/chat/commands",
    summary: "Define a custom slash command (administrators); its token is shown once",
    tags: ["chat", "integrations"],
    auth: "user",
    body: z
      .object({
        command: commandName,
        url: z.url({ protocol: /^https?$/ }).max(2000),
        description: z.string().trim().max(200).default(""),
      })
      .strict(),
    response: slashCommandCreatedSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await admin(actor);
      if (BUILT_IN_NAMES.has(body.command)) throw new AppError("conflict", `${body.command} is a built-in command`);
      const row: ChatSlashCommandsTable = {
        id: uuidv7(),
        command: body.command,
        url: body.url,
        token: randomToken(18),
        description: body.description,
        created_by: actor.id,
        created_at: new Date().toISOString(),
      };
      const exists = await db
        .selectFrom("chat_slash_commands")
        .select("id")
        .where("command", "=", row.command)
        .executeTakeFirst();
      if (exists) throw new AppError("conflict", `${body.command} already exists`);
      await db.insertInto("chat_slash_commands").values(row).execute();
      return { ...present(row, true), token: row.token };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/commands/:id",
    summary: "Delete a custom slash command (administrators)",
    tags: ["chat", "integrations"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: noContent,
    handler: async ({ actor, params }) => {
      await admin(actor);
      const r = await db.deleteFrom("chat_slash_commands").where("id", "=", params.id).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw new AppError("not_found", "command not found");
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/commands",
    summary: "Slash commands available in the composer (built-in and custom); administrators also see their URLs",
    tags: ["chat", "integrations"],
    auth: "user",
    response: slashCommandListSchema,
    handler: async ({ actor }) => {
      const rows = await db.selectFrom("chat_slash_commands").selectAll().orderBy("command").execute();
      const isAdmin = await mayInOrg(k, actor, ChatOrgResource, "administer");
      return { items: [...BUILT_INS.map((b) => ({ ...b, builtIn: true })), ...rows.map((r) => present(r, isAdmin))] };
    },
  });

  route(app, {
    method: "POST",
    url: "/hooks/commands/:token",
    summary: "A slash command's response_url: a delayed answer (JSON, Slack's fields), up to 5 times within 30 minutes",
    tags: ["integrations"],
    auth: "none",
    csrfExempt: true,
    formBody: true,
    rateLimit: { max: 60, timeWindow: "1 minute" },
    params: z.object({ token: z.string().max(128) }),
    body: z.unknown(),
    response: responseUrlAnswerSchema,
    handler: async ({ params, body }) => {
      const hash = sha256(params.token);
      const now = new Date().toISOString();
      const used = await db
        .updateTable("chat_response_urls")
        .set((eb) => ({ uses: eb("uses", "+", 1) }))
        .where("token_hash", "=", hash)
        .where("expires_at", ">", now)
        .where("uses", "<", RESPONSE_URL_USES)
        .returning(["room_id", "user_id", "command"])
        .executeTakeFirst();
      if (!used) throw new AppError("not_found", "this response URL is unknown or expired");
      // The answer speaks for the person who typed the command: they must still be able to post there (not muted
      // since, still a member, the room not archived).
      const invoker = await invokerActor(k, used.user_id);
      await k.policy.authorize(invoker, ChatRoomResource, "post", await loadRoom(chatDb(k), used.room_id, invoker));
      const payload = slackBody(body);
      if (!slackPayloadSchema.safeParse(payload).success)
        throw new AppError("validation", "the answer needs text or attachments");
      const result = await deliverReply(
        k,
        { command: used.command },
        { userId: used.user_id, roomId: used.room_id, parentId: null },
        payload,
      );
      return { ok: true as const, responseType: result.responseType };
    },
  });
}

/** The commands Ensemble answers itself (see slash-commands.ts). */
export const BUILT_INS = [
  { command: "/me", description: "Décrire une action : /me prend un café" },
  { command: "/shrug", description: "Ajouter ¯\\_(ツ)_/¯ au message" },
  { command: "/topic", description: "Changer le sujet du salon" },
  { command: "/invite", description: "Inviter quelqu'un : /invite @nom" },
  { command: "/leave", description: "Quitter le salon" },
  {
    command: "/mute",
    description: "Rendre le salon silencieux, ou /mute @nom pour qu'une personne ne puisse plus écrire (modération)",
  },
  { command: "/unmute", description: "Réactiver les notifications du salon, ou /unmute @nom" },
  { command: "/call", description: "Lancer un appel : une réunion instantanée, annoncée dans le salon" },
] as const;
export const BUILT_IN_NAMES = new Set<string>(BUILT_INS.map((b) => b.command));
