import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  AppError,
  authorizeOrg,
  displayNameSchema,
  noContent,
  route,
  usernameSchema,
  type Kernel,
  type UserActor,
} from "@ensemble/kernel";
import { ChatOrgResource } from "../resources.ts";
import { type ChatDb, type ChatTables, chatDb } from "../tables.ts";
import { botCreatedSchema, botListSchema } from "../../shared/integration-wire.ts";

const cache = new WeakMap<object, Map<string, boolean>>();

/** True when the user is a bot account (its messages are of kind `bot`). Cached: bots are never turned into people. */
export async function isBot(db: ChatDb, userId: string): Promise<boolean> {
  let known = cache.get(db);
  if (!known) {
    known = new Map();
    cache.set(db, known);
  }
  const hit = known.get(userId);
  if (hit !== undefined) return hit;
  const found = !!(await db.selectFrom("chat_bots").select("user_id").where("user_id", "=", userId).executeTakeFirst());
  if (known.size > 10_000) known.clear();
  known.set(userId, found);
  return found;
}

/**
 * Bot accounts: users flagged as bots, created by administrators with an app
 * token. A bot uses the same REST API and WebSocket as the web app (Bearer
 * token); rooms add it like anyone, and its messages show as a bot's.
 */
export function botRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);
  const admin = (a: UserActor) => authorizeOrg(k, a, ChatOrgResource, "administer");

  route(app, {
    method: "POST",
    url: "/api/chat/bots",
    summary: "Create a bot account and its API token (shown once)",
    tags: ["chat", "integrations"],
    auth: "user",
    body: z
      .object({
        username: usernameSchema,
        displayName: displayNameSchema,
        description: z.string().trim().max(500).default(""),
      })
      .strict(),
    response: botCreatedSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await admin(actor);
      const result = await k.db.transaction().execute(async (tx) => {
        // No password and no e-mail: a bot signs in only with its token.
        const user = await k.users.createServiceAccount(tx, {
          username: body.username,
          displayName: body.displayName,
          createdBy: actor.id,
        });
        await tx
          .withTables<Pick<ChatTables, "chat_bots">>()
          .insertInto("chat_bots")
          .values({
            user_id: user.id,
            description: body.description,
            created_by: actor.id,
            created_at: new Date().toISOString(),
          })
          .execute();
        const token = await k.tokens.create(tx, {
          userId: user.id,
          name: `bot ${body.username}`,
          scopes: ["read", "write"],
          actorId: actor.id,
        });
        return { user, token };
      });
      cache.get(db)?.delete(result.user.id);
      return {
        bot: {
          id: result.user.id,
          username: result.user.username,
          displayName: result.user.display_name,
          description: body.description,
        },
        token: result.token.token,
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/bots",
    summary: "Bot accounts (administrators)",
    tags: ["chat", "integrations"],
    auth: "user",
    response: botListSchema,
    handler: async ({ actor }) => {
      await admin(actor);
      const rows = await db
        .selectFrom("chat_bots")
        .innerJoin("users", "users.id", "chat_bots.user_id")
        .select([
          "users.id",
          "users.username",
          "users.display_name",
          "users.deactivated",
          "chat_bots.description",
          "chat_bots.created_at",
        ])
        .orderBy("users.username")
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          username: r.username,
          displayName: r.display_name,
          description: r.description,
          active: Number(r.deactivated) === 0,
          createdAt: r.created_at,
        })),
      };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/bots/:id",
    summary: "Deactivate a bot: its tokens stop working and its connections close",
    tags: ["chat", "integrations"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: noContent,
    handler: async ({ actor, params }) => {
      await admin(actor);
      const bot = await db
        .selectFrom("chat_bots")
        .select("user_id")
        .where("user_id", "=", params.id)
        .executeTakeFirst();
      if (!bot) throw new AppError("not_found", "bot not found");
      await k.users.deactivate(bot.user_id, { actorId: actor.id, via: "bot" });
    },
  });
}
