import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import sharp from "sharp";
import type { Kernel } from "../kernel.ts";
import type { UserActor } from "../authz/actor.ts";
import { noContent, rawResponse, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { checkPasswordRules, hashPassword, verifyPassword } from "./passwords.ts";
import { revokeAllSessions } from "./sessions.ts";
import { displayNameSchema, emailSchema, findUserById, passwordSchema, presentSelf, type UserRow } from "./users.ts";
import { UserResource } from "./resources.ts";
import { requireBrowserSession } from "./browser-session.ts";
import { recordEvent } from "../events/record-event.ts";
import { userAnswerSchema } from "@ensemble/protocol/wire/accounts";

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
export const AVATAR_SIZE = 256;
const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"];
const SHARP_FORMATS = new Set(["png", "jpeg", "webp"]);

/** A time zone the runtime knows (IANA name or "UTC"), in its canonical spelling. */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, "an IANA time zone such as Europe/Paris")
  .transform((tz, ctx) => {
    try {
      return new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
    } catch {
      ctx.addIssue({ code: "custom", message: "unknown time zone" });
      return z.NEVER;
    }
  });

const profileBody = z
  .object({
    displayName: displayNameSchema.optional(),
    email: emailSchema.optional(),
    locale: z.enum(["fr", "en"]).optional(),
    timeZone: timeZoneSchema.optional(),
    statusMessage: z.string().trim().max(140).optional(),
    /** Needed to change the e-mail address, which is where reset links go. */
    currentPassword: passwordSchema.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((key) => key !== "currentPassword"), { message: "nothing to change" });

const passwordBody = z.object({ current: passwordSchema, new: passwordSchema });
const userParams = z.object({ id: z.uuid() });

const avatarKey = (userId: string) => `avatars/${userId}.webp`;

/** The signed-in user's profile, password and avatar; everyone's avatar for those who may see them. */
export function profileRoutes(app: FastifyInstance, k: Kernel): void {
  const limit = { max: k.config.RATE_LIMIT_SIGNIN_PER_MIN, timeWindow: 60_000, per: "credential" as const };

  const loadSelf = async (actor: UserActor): Promise<UserRow> =>
    k.policy.authorize(actor, UserResource, "update", await findUserById(k.db, actor.id));

  route(app, {
    method: "PATCH",
    url: "/api/me",
    summary: "Change my display name, e-mail, language, time zone or status message",
    tags: ["profile"],
    auth: "user",
    response: userAnswerSchema,
    body: profileBody,
    handler: async ({ actor, body }) => {
      const user = await loadSelf(actor);
      if (body.email !== undefined && body.email !== user.email) {
        requireBrowserSession(actor);
        if (user.password_hash) {
          if (body.currentPassword === undefined) {
            throw new AppError("validation", "confirm with your current password to change the e-mail address", {
              errors: [{ path: "body.currentPassword", message: "required to change the e-mail address" }],
            });
          }
          if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
            throw new AppError("invalid_credentials", "wrong password", { status: 422 });
          }
        }
        const taken = await k.db
          .selectFrom("users")
          .select("id")
          .where("email", "=", body.email)
          .where("id", "!=", user.id)
          .executeTakeFirst();
        if (taken) throw new AppError("email_taken", "this e-mail address is already used");
      }
      const patch = {
        ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.locale !== undefined ? { locale: body.locale } : {}),
        ...(body.timeZone !== undefined ? { time_zone: body.timeZone } : {}),
        ...(body.statusMessage !== undefined ? { status_message: body.statusMessage } : {}),
        updated_at: new Date().toISOString(),
      };
      const presented = presentSelf({ ...user, ...patch });
      try {
        await k.db.transaction().execute(async (tx) => {
          await tx.updateTable("users").set(patch).where("id", "=", user.id).execute();
          // The user's other tabs and devices update at once (topic user:<id>, private to them).
          await recordEvent(tx, {
            name: "accounts.user.updated",
            actorId: actor.id,
            resources: { user: user.id },
            payload: { user: presented },
            topics: [`user:${user.id}`],
          });
        });
      } catch (err) {
        // Two people claiming the same address at once: the unique index decides.
        if (body.email !== undefined && /unique|duplicate/i.test(String(err))) {
          throw new AppError("email_taken", "this e-mail address is already used");
        }
        throw err;
      }
      return { user: presented };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/me/password",
    summary: "Change my password; signs out my other sessions",
    tags: ["profile"],
    auth: "user",
    response: noContent,
    rateLimit: limit,
    body: passwordBody,
    handler: async ({ actor, body }) => {
      if (k.config.SSO_ONLY) throw new AppError("sso_only", "passwords are managed by single sign-on");
      requireBrowserSession(actor);
      const user = await loadSelf(actor);
      if (!(await verifyPassword(user.password_hash, body.current))) {
        throw new AppError("invalid_credentials", "the current password is wrong", { status: 422 });
      }
      checkPasswordRules(body.new, { username: user.username, email: user.email });
      const passwordHash = await hashPassword(body.new, k.config);
      const ended = await k.db.transaction().execute(async (tx) => {
        await tx
          .updateTable("users")
          .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
          .where("id", "=", user.id)
          .execute();
        return revokeAllSessions(tx, user.id, actor.sessionId ?? undefined);
      });
      await k.realtime.disconnectSessions(ended);
      return undefined;
    },
  });

  // The raw image body needs its own parser and size limit, so these routes live in their own scope.
  void app.register(async (scope) => {
    scope.addContentTypeParser(AVATAR_TYPES, { parseAs: "buffer", bodyLimit: AVATAR_MAX_BYTES }, (_req, body, done) => {
      done(null, body);
    });

    route(scope, {
      method: "PUT",
      url: "/api/me/avatar",
      summary: "Upload my avatar (PNG, JPEG or WebP body, at most 5 MB); stored as a 256×256 WebP",
      tags: ["profile"],
      auth: "user",
      response: userAnswerSchema,
      handler: async ({ actor, req }) => {
        const body = req.body;
        if (!Buffer.isBuffer(body)) throw new AppError("unsupported_media_type", "send a PNG, JPEG or WebP image");
        const user = await loadSelf(actor);
        const image = await toAvatar(body);
        const key = avatarKey(user.id);
        await k.blobs.put(key, image);
        const updatedAt = new Date().toISOString();
        await k.db
          .updateTable("users")
          .set({ avatar_key: key, updated_at: updatedAt })
          .where("id", "=", user.id)
          .execute();
        return { user: presentSelf({ ...user, avatar_key: key, updated_at: updatedAt }) };
      },
    });
  });

  route(app, {
    method: "DELETE",
    url: "/api/me/avatar",
    summary: "Remove my avatar",
    tags: ["profile"],
    auth: "user",
    response: noContent,
    handler: async ({ actor }) => {
      const user = await loadSelf(actor);
      if (!user.avatar_key) return undefined;
      await k.db
        .updateTable("users")
        .set({ avatar_key: null, updated_at: new Date().toISOString() })
        .where("id", "=", user.id)
        .execute();
      await k.blobs.delete(user.avatar_key);
      return undefined;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/users/:id/avatar",
    summary: "A user's avatar (WebP), for those who may see the user",
    tags: ["profile"],
    auth: "optional",
    response: rawResponse("image/webp", "The avatar, 256×256 WebP (304 when the ETag matches)"),
    params: userParams,
    handler: async ({ actor, params, req, reply }) => {
      const user = await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, params.id));
      if (!user.avatar_key) throw new AppError("not_found", "this user has no avatar");
      const etag = `"${createHash("sha256").update(`${user.avatar_key}@${user.updated_at}`).digest("base64url").slice(0, 22)}"`;
      // Private: whether one may see a person depends on who asks. Avatar URLs carry a version, so a day is safe.
      reply.header("cache-control", "private, max-age=86400").header("etag", etag);
      if (req.headers["if-none-match"] === etag) return reply.code(304).send();
      const stream = await k.blobs.get(user.avatar_key);
      if (!stream) throw new AppError("not_found", "this user has no avatar");
      return reply.type("image/webp").header("x-content-type-options", "nosniff").send(stream);
    },
  });
}

/** Decodes, checks and re-encodes: nothing the client sent is stored as is. */
async function toAvatar(input: Buffer): Promise<Buffer> {
  try {
    const img = sharp(input, { limitInputPixels: 40_000_000, failOn: "error" });
    const meta = await img.metadata();
    if (!meta.format || !SHARP_FORMATS.has(meta.format)) throw new Error(`format ${meta.format ?? "unknown"}`);
    return await img
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new AppError("invalid_image", "this file is not a PNG, JPEG or WebP image we can read");
  }
}
