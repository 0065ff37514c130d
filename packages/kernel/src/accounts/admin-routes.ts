import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageQuery } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { noContent, route } from "../http/route.ts";
import { recordEvent } from "../events/record-event.ts";
import { recordBrandingChange } from "../branding/branding-module.ts";
import { AppError } from "../errors.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import { foldedContains } from "../db/fold.ts";
import { orgSettingsSchema, type OrgSettings } from "../settings.ts";
import { endUserSessions } from "../realtime/end-user-sessions.ts";
import { findUserById, presentSelf } from "./users.ts";
import { AccountRecordResource, UserResource } from "./resources.ts";
import { audit } from "../audit/audit.ts";
import { pageOf } from "@ensemble/protocol/wire/page";
import {
  adminSettingsSchema,
  publicSettingsSchema,
  selfSchema,
  type AdminSettings,
} from "@ensemble/protocol/wire/accounts";
import { deactivateInTransaction, lockAdmins } from "./deactivate-user.ts";

const listQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional(),
  role: z.enum(["admin", "member", "guest"]).optional(),
  status: z.enum(["active", "deactivated", "all"]).default("all"),
});
const idParams = z.object({ id: z.uuid() });
const patchUserBody = z
  .object({ role: z.enum(["admin", "member", "guest"]).optional(), deactivated: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.deactivated !== undefined, { message: "nothing to change" });
// The stored schema's defaults are unwrapped: a field left out of a patch must stay as it is.
const shape = orgSettingsSchema.shape;
const settingsPatch = z
  .object({
    membersCanInvite: shape.membersCanInvite.unwrap().optional(),
    membersCanCreateGroups: shape.membersCanCreateGroups.unwrap().optional(),
    requireTwoFactor: shape.requireTwoFactor.unwrap().optional(),
    brandName: z.string().trim().pipe(shape.brandName.unwrap()).optional(),
    brandColor: shape.brandColor.unwrap().optional(),
    defaultLocale: shape.defaultLocale.unwrap().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });

const presentSettings = (s: OrgSettings): AdminSettings => ({
  membersCanInvite: s.membersCanInvite,
  membersCanCreateGroups: s.membersCanCreateGroups,
  requireTwoFactor: s.requireTwoFactor,
  brandName: s.brandName,
  brandColor: s.brandColor,
  defaultLocale: s.defaultLocale,
});

/** The administration console's API: people, their roles and status, organisation settings. */
export function adminRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "GET",
    url: "/api/admin/users",
    summary: "Every account, with filters on text, role and status",
    tags: ["admin"],
    auth: "user",
    response: pageOf(selfSchema),
    query: listQuery,
    handler: async ({ actor, query }) => {
      await authorizeOrg(k, actor, OrgResource, "manage_users");
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 1)) throw new AppError("validation", "bad cursor");
      let q = k.db
        .selectFrom("users")
        .selectAll()
        .where(k.policy.scope(AccountRecordResource, actor)("users"))
        .orderBy("username")
        .limit(query.limit + 1);
      if (query.role) q = q.where("role", "=", query.role);
      if (query.status !== "all") q = q.where("deactivated", "=", query.status === "deactivated" ? 1 : 0);
      if (query.q) {
        q = q.where(
          foldedContains(
            k.database,
            sql`${sql.ref("username")} || ' ' || ${sql.ref("display_name")} || ' ' || coalesce(${sql.ref("email")}, '')`,
            query.q,
          ),
        );
      }
      if (cursor) q = q.where("username", ">", String(cursor[0]));
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(presentSelf),
        next: rows.length > query.limit && last ? encodeCursor([last.username]) : null,
      };
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/admin/users/:id",
    summary: "Change a person's role or (de)activate them; deactivation signs them out everywhere",
    tags: ["admin"],
    auth: "user",
    response: selfSchema,
    params: idParams,
    body: patchUserBody,
    handler: async ({ actor, params, body }) => {
      let u = await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, params.id));
      if (body.role !== undefined) u = await k.policy.authorize(actor, UserResource, "change_role", u);
      if (body.deactivated !== undefined) u = await k.policy.authorize(actor, UserResource, "deactivate", u);
      if (body.deactivated === true && u.id === actor.id)
        throw new AppError("conflict", "you cannot deactivate your own account");
      const updated = await k.db.transaction().execute(async (tx) => {
        const activeAdmins = await lockAdmins(tx, k.database.kind);
        const current = await tx.selectFrom("users").selectAll().where("id", "=", u.id).executeTakeFirstOrThrow();
        const role = body.role ?? current.role;
        const deactivated = body.deactivated === undefined ? current.deactivated : body.deactivated ? 1 : 0;
        const wasActiveAdmin = current.role === "admin" && current.deactivated === 0;
        const staysActiveAdmin = role === "admin" && deactivated === 0;
        if (wasActiveAdmin && !staysActiveAdmin && activeAdmins <= 1) {
          throw new AppError("conflict", "the organisation must keep at least one active administrator");
        }
        const now = new Date().toISOString();
        await tx
          .updateTable("users")
          .set({ role, ...(deactivated === 0 ? { deactivated } : {}), updated_at: now })
          .where("id", "=", u.id)
          .execute();
        // The shared deactivation step, in the same transaction: once the change is visible, no old
        // session or token authenticates, and reactivating the account later does not bring them back.
        if (deactivated === 1 && current.deactivated === 0)
          await deactivateInTransaction(tx, u.id, { actorId: actor.id, via: "admin" });
        const resources = { user: u.id };
        if (role !== current.role) {
          await recordEvent(tx, {
            name: "accounts.user.role_changed",
            actorId: actor.id,
            resources,
            payload: { from: current.role, to: role },
          });
        }
        if (deactivated === 0 && current.deactivated === 1)
          await recordEvent(tx, { name: "accounts.user.reactivated", actorId: actor.id, resources, payload: {} });
        return { ...current, role, deactivated, updated_at: now };
      });
      // Sessions went with the commit; this closes the live WebSockets on every node.
      if (body.deactivated === true) await endUserSessions(k, u.id);
      else if (body.role !== undefined) await k.realtime.reauthorize(u.id);
      return presentSelf(updated);
    },
  });

  route(app, {
    method: "POST",
    url: "/api/admin/users/:id/reset-two-factor",
    summary: "Remove a person's second factor (lost phone); they enrol again at next sign-in if required",
    tags: ["admin"],
    auth: "user",
    response: noContent,
    params: idParams,
    handler: async ({ actor, params }) => {
      const u = await k.policy.authorize(actor, UserResource, "reset_two_factor", await findUserById(k.db, params.id));
      await k.db.transaction().execute(async (tx) => {
        await tx
          .updateTable("users")
          .set({ totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: new Date().toISOString() })
          .where("id", "=", u.id)
          .execute();
        await tx.deleteFrom("recovery_codes").where("user_id", "=", u.id).execute();
        await recordEvent(tx, {
          name: "accounts.user.two_factor_reset",
          actorId: actor.id,
          resources: { user: u.id },
          payload: {},
        });
      });
      return undefined;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/admin/settings",
    summary: "Organisation settings",
    tags: ["admin"],
    auth: "user",
    response: adminSettingsSchema,
    handler: async ({ actor }) => {
      await authorizeOrg(k, actor, OrgResource, "administer");
      return presentSettings(await k.settings.get());
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/admin/settings",
    summary: "Change organisation settings (only the fields sent)",
    tags: ["admin"],
    auth: "user",
    response: adminSettingsSchema,
    body: settingsPatch,
    handler: async ({ actor, body, req }) => {
      await authorizeOrg(k, actor, OrgResource, "administer");
      const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<OrgSettings>;
      await audit(k.db, {
        actorId: actor.id,
        action: "accounts.settings.updated",
        ip: req.ip,
        details: { changes: patch },
      });
      const before = await k.settings.get();
      const after = await k.settings.update(patch);
      // Open pages re-theme at once (web shell, org:branding topic).
      await recordBrandingChange(k.db, actor.id, before, after);
      return presentSettings(after);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/settings/public",
    summary: "Branding and default language, for the sign-in page",
    tags: ["settings"],
    auth: "none",
    response: publicSettingsSchema,
    rateLimit: { max: k.config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: 60_000, per: "address" as const },
    handler: async () => {
      const s = await k.settings.get();
      return { brandName: s.brandName, brandColor: s.brandColor, defaultLocale: s.defaultLocale };
    },
  });
}
