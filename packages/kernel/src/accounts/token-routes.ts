import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Kernel } from "../kernel.ts";
import type { AppTokensTable } from "../db/tables.ts";
import { noContent, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import type { Scope } from "../authz/actor.ts";
import { createAppToken } from "./app-tokens.ts";
import { requireBrowserSession } from "./browser-session.ts";
import { AppTokenResource } from "./resources.ts";
import { audit } from "../audit/audit.ts";
import { createdTokenSchema, tokenListSchema, type Token } from "@ensemble/protocol/wire/accounts";

const scopeSchema = z.enum(["read", "write", "admin"]);

const createBody = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(scopeSchema).min(1).max(3),
});

const idParams = z.object({ id: z.uuid() });

const MAX_TOKENS_PER_USER = 100;

const presentToken = (
  t: Pick<AppTokensTable, "id" | "name" | "prefix" | "scopes" | "created_at" | "last_used_at">,
): Token => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes.split(",").filter(Boolean) as Scope[],
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
});

/** App passwords / personal access tokens of the signed-in user: create (shown once), list, revoke. */
export function tokenRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "POST",
    url: "/api/me/tokens",
    summary: "Create an app token; its value is returned only in this response",
    tags: ["tokens"],
    auth: "user",
    response: createdTokenSchema,
    status: 201,
    body: createBody,
    handler: async ({ actor, body, req }) => {
      requireBrowserSession(actor);
      const scopes = [...new Set(body.scopes)];
      if (scopes.includes("admin")) await authorizeOrg(k, actor, OrgResource, "create_admin_token");
      const created = await k.db.transaction().execute(async (tx) => {
        const count = await tx
          .selectFrom("app_tokens")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("user_id", "=", actor.id)
          .where("revoked_at", "is", null)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_TOKENS_PER_USER) {
          throw new AppError("conflict", `at most ${MAX_TOKENS_PER_USER} active tokens per user`);
        }
        const token = await createAppToken(tx, actor.id, body.name, scopes);
        await audit(tx, {
          actorId: actor.id,
          action: "accounts.token.created",
          target: { type: "app_token", id: token.id },
          ip: req.ip,
          details: { name: body.name, scopes },
        });
        return token;
      });
      const row = await k.db
        .selectFrom("app_tokens")
        .selectAll()
        .where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      return { ...presentToken(row), token: created.token };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/me/tokens",
    summary: "List the active app tokens (never their values)",
    tags: ["tokens"],
    auth: "user",
    response: tokenListSchema,
    handler: async ({ actor }) => {
      const rows = await k.db
        .selectFrom("app_tokens")
        .select(["id", "name", "prefix", "scopes", "created_at", "last_used_at", "user_id"])
        .where(k.policy.scope(AppTokenResource, actor)("app_tokens"))
        .where("revoked_at", "is", null)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return { items: rows.map(presentToken) };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/me/tokens/:id",
    summary: "Revoke an app token",
    tags: ["tokens"],
    auth: "user",
    // A leaked read or write token must not be able to cut its owner's other clients off (as for sessions).
    scope: "admin",
    response: noContent,
    params: idParams,
    handler: async ({ actor, params, req }) => {
      const row = await k.db
        .selectFrom("app_tokens")
        .select(["id", "user_id"])
        .where("id", "=", params.id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      await k.policy.authorize(actor, AppTokenResource, "revoke", row);
      await k.db
        .updateTable("app_tokens")
        .set({ revoked_at: new Date().toISOString() })
        .where("id", "=", params.id)
        .where("revoked_at", "is", null)
        .execute();
      await audit(k.db, {
        actorId: actor.id,
        action: "accounts.token.revoked",
        target: { type: "app_token", id: params.id },
        ip: req.ip,
      });
      return undefined;
    },
  });
}
