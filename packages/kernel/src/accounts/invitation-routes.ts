import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageQuery, uuidv7 } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import type { InvitationsTable } from "../db/tables.ts";
import { noContent, route } from "../http/route.ts";
import { recordEvent } from "../events/record-event.ts";
import { AppError } from "../errors.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import { checkPasswordRules, hashPassword } from "./passwords.ts";
import { randomToken, sha256 } from "./secrets.ts";
import { createSession } from "./sessions.ts";
import { setSessionCookies } from "./cookies.ts";
import { meta } from "./auth-routes.ts";
import { displayNameSchema, emailSchema, insertUser, passwordSchema, presentSelf, usernameSchema } from "./users.ts";
import { GroupResource, InvitationResource } from "./resources.ts";
import { loadGroup } from "./groups.ts";
import { pageOf } from "@ensemble/protocol/wire/page";
import {
  createdInvitationSchema,
  invitationPreviewSchema,
  invitationSchema,
  signInAnswerSchema,
  type Invitation,
} from "@ensemble/protocol/wire/accounts";

const createBody = z
  .object({
    role: z.enum(["member", "guest"]).default("member"),
    groupId: z.uuid().optional(),
    email: emailSchema.optional(),
    expiresInDays: z.number().int().min(1).max(90).default(7),
    maxUses: z.number().int().min(1).max(1000).default(1),
  })
  .strict();
const tokenBody = z.object({ token: z.string().min(20).max(200) }).strict();
const acceptBody = z
  .object({
    token: z.string().min(20).max(200),
    username: usernameSchema,
    displayName: displayNameSchema,
    email: emailSchema,
    password: passwordSchema,
  })
  .strict();
const idParams = z.object({ id: z.uuid() });

export const invitationLink = (publicUrl: string, token: string) => `${publicUrl}/invite#token=${token}`;

const status = (i: InvitationsTable, now: string): Invitation["status"] =>
  i.revoked_at ? "revoked" : i.uses >= i.max_uses ? "used" : i.expires_at <= now ? "expired" : "active";

export function presentInvitation(i: InvitationsTable): Invitation {
  return {
    id: i.id,
    role: i.role,
    groupId: i.group_id,
    email: i.email,
    createdBy: i.created_by,
    createdAt: i.created_at,
    expiresAt: i.expires_at,
    maxUses: i.max_uses,
    uses: i.uses,
    revokedAt: i.revoked_at,
    status: status(i, new Date().toISOString()),
  };
}

const invalid = () =>
  new AppError("invitation_invalid", "this invitation link is invalid, expired, revoked or already used");

/**
 * Invitation links. Members create member invitations when the organisation
 * allows it (`invitations.create`, setting `membersCanInvite`); guest
 * invitations need `invitations.guests`, which only admins hold, because a
 * guest is an outsider whose entry the organisation vouches for. The link's
 * token is shown once and stored hashed.
 */
export function invitationRoutes(app: FastifyInstance, k: Kernel): void {
  const publicLimit = { max: k.config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: 60_000, per: "address" as const };
  // Accepting hashes a password: as costly as a sign-in, limited like one.
  const acceptLimit = { max: k.config.RATE_LIMIT_SIGNIN_PER_MIN, timeWindow: 60_000, per: "address" as const };

  /** The invitation behind a token, if it can still be used (inviter still active). */
  const usable = async (token: string) => {
    const now = new Date().toISOString();
    const row = await k.db
      .selectFrom("invitations")
      .innerJoin("users as inviter", "inviter.id", "invitations.created_by")
      .selectAll("invitations")
      .select(["inviter.display_name as inviterName", "inviter.deactivated as inviterDeactivated"])
      .where("invitations.token_hash", "=", sha256(token))
      .executeTakeFirst();
    if (!row || row.inviterDeactivated || status(row, now) !== "active") return null;
    return row;
  };

  route(app, {
    method: "POST",
    url: "/api/invitations",
    summary: "Create an invitation link (returned once); mailed when an e-mail address is given",
    tags: ["invitations"],
    auth: "user",
    response: createdInvitationSchema,
    status: 201,
    body: createBody,
    handler: async ({ actor, body }) => {
      const settings = await k.settings.get();
      await authorizeOrg(k, actor, OrgResource, "invite");
      if (body.role === "guest") await authorizeOrg(k, actor, OrgResource, "invite_guests");
      let groupName: string | null = null;
      if (body.groupId) {
        const g = await k.policy.authorize(
          actor,
          GroupResource,
          "add_member",
          await loadGroup(k.db, body.groupId, actor),
        );
        groupName = g.name;
      }
      const token = randomToken();
      const now = new Date();
      const row: InvitationsTable = {
        id: uuidv7(),
        token_hash: sha256(token),
        created_by: actor.id,
        role: body.role,
        group_id: body.groupId ?? null,
        email: body.email ?? null,
        expires_at: new Date(now.getTime() + body.expiresInDays * 86_400_000).toISOString(),
        max_uses: body.maxUses,
        uses: 0,
        revoked_at: null,
        created_at: now.toISOString(),
      };
      await k.db.transaction().execute(async (tx) => {
        await tx.insertInto("invitations").values(row).execute();
        await recordEvent(tx, {
          name: "accounts.invitation.created",
          actorId: actor.id,
          resources: { invitation: row.id, ...(row.group_id ? { group: row.group_id } : {}) },
          payload: { role: row.role, maxUses: row.max_uses, expiresAt: row.expires_at, mailed: row.email !== null },
        });
      });
      const link = invitationLink(k.config.publicUrl, token);
      if (body.email) {
        const inviter = await k.db
          .selectFrom("users")
          .select("display_name")
          .where("id", "=", actor.id)
          .executeTakeFirstOrThrow();
        const where = groupName ? ` (groupe « ${groupName} »)` : "";
        await k.mailer.send({
          to: body.email,
          subject: `${inviter.display_name} vous invite sur ${settings.brandName}`,
          text:
            `${inviter.display_name} vous invite à rejoindre ${settings.brandName}${where}.\n\n` +
            `Créez votre compte en ouvrant ce lien :\n${link}\n\n` +
            `Ce lien expire le ${row.expires_at.slice(0, 10)}.\n`,
        });
      }
      return { invitation: presentInvitation(row), link };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/invitations",
    summary: "Invitations I created (administrators: everyone's), newest first",
    tags: ["invitations"],
    auth: "user",
    response: pageOf(invitationSchema),
    query: pageQuery,
    handler: async ({ actor, query }) => {
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      let q = k.db
        .selectFrom("invitations")
        .selectAll()
        .where(k.policy.scope(InvitationResource, actor)("invitations"))
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(query.limit + 1);
      if (cursor) {
        const [at, id] = cursor.map(String) as [string, string];
        q = q.where((eb) => eb.or([eb("created_at", "<", at), eb.and([eb("created_at", "=", at), eb("id", "<", id)])]));
      }
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(presentInvitation),
        next: rows.length > query.limit && last ? encodeCursor([last.created_at, last.id]) : null,
      };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/invitations/:id",
    summary: "Revoke an invitation: its link stops working",
    tags: ["invitations"],
    auth: "user",
    response: noContent,
    params: idParams,
    handler: async ({ actor, params }) => {
      const row = await k.db.selectFrom("invitations").selectAll().where("id", "=", params.id).executeTakeFirst();
      const i = await k.policy.authorize(actor, InvitationResource, "revoke", row);
      await k.db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable("invitations")
          .set({ revoked_at: new Date().toISOString() })
          .where("id", "=", i.id)
          .where("revoked_at", "is", null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) > 0) {
          await recordEvent(tx, {
            name: "accounts.invitation.revoked",
            actorId: actor.id,
            resources: { invitation: i.id },
            payload: {},
          });
        }
      });
      return undefined;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/invitations/preview",
    summary: "What an invitation link offers, before the account is created",
    tags: ["invitations"],
    auth: "none",
    response: invitationPreviewSchema,
    rateLimit: publicLimit,
    body: tokenBody,
    handler: async ({ body }) => {
      const i = await usable(body.token);
      if (!i) throw invalid();
      const group = i.group_id
        ? await k.db.selectFrom("groups").select("name").where("id", "=", i.group_id).executeTakeFirst()
        : undefined;
      const settings = await k.settings.get();
      return {
        role: i.role,
        organisationName: settings.brandName,
        groupName: group?.name ?? null,
        inviterDisplayName: i.inviterName,
        email: i.email,
        expiresAt: i.expires_at,
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/invitations/accept",
    summary: "Create an account from an invitation link and sign in",
    tags: ["invitations"],
    auth: "none",
    response: signInAnswerSchema,
    status: 201,
    rateLimit: acceptLimit,
    body: acceptBody,
    handler: async ({ body, req, reply }) => {
      if (!(await usable(body.token))) throw invalid();
      checkPasswordRules(body.password, { username: body.username, email: body.email });
      const passwordHash = await hashPassword(body.password, k.config);
      const { user, session } = await k.db.transaction().execute(async (tx) => {
        const now = new Date().toISOString();
        // One conditional increment: concurrent accepts can never push uses past max_uses.
        const claimed = await tx
          .updateTable("invitations")
          .set({ uses: sql`uses + 1` })
          .where("token_hash", "=", sha256(body.token))
          .where("revoked_at", "is", null)
          .where("expires_at", ">", now)
          .where(sql<boolean>`uses < max_uses`)
          .where("created_by", "in", (eb) => eb.selectFrom("users").select("id").where("deactivated", "=", 0))
          .returningAll()
          .executeTakeFirst();
        if (!claimed) throw invalid();
        const user = await insertUser(tx, {
          username: body.username,
          displayName: body.displayName,
          email: body.email,
          role: claimed.role,
          passwordHash,
        }).catch((err: unknown) => {
          // Two people racing for the same name: the unique index decides, and that is a 409, not a 500.
          if (
            err instanceof Error &&
            !(err instanceof AppError) &&
            /unique|23505/i.test(`${err.message} ${String((err as { code?: unknown }).code)}`)
          ) {
            throw new AppError("username_taken", "this username or e-mail address is taken");
          }
          throw err;
        });
        if (claimed.group_id) {
          await tx
            .insertInto("group_members")
            .values({ group_id: claimed.group_id, user_id: user.id, role: "member", created_at: now })
            .execute();
        }
        await recordEvent(tx, {
          name: "accounts.invitation.accepted",
          actorId: user.id,
          resources: {
            invitation: claimed.id,
            user: user.id,
            ...(claimed.group_id ? { group: claimed.group_id } : {}),
          },
          payload: { role: claimed.role, invitedBy: claimed.created_by },
        });
        const session = await createSession(tx, user.id, meta(req), k.config.SESSION_TTL_DAYS);
        return { user, session };
      });
      setSessionCookies(reply, req, k.config, session);
      return { user: presentSelf(user), csrfToken: session.csrfToken };
    },
  });
}
