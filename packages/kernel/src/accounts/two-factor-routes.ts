import { randomInt } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import { generateSecret, generateURI } from "otplib";
import QRCode from "qrcode";
import { uuidv7 } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import type { KernelTables } from "../db/tables.ts";
import type { UserActor } from "../authz/actor.ts";
import { noContent, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { verifyPassword } from "./passwords.ts";
import { findUserById, passwordSchema, type UserRow } from "./users.ts";
import { normaliseRecoveryCode, verifySecondFactor } from "./two-factor.ts";
import { sha256 } from "./secrets.ts";
import { UserResource } from "./resources.ts";
import { requireBrowserSession } from "./browser-session.ts";
import { recordEvent } from "../events/record-event.ts";
import {
  recoveryCodesSchema,
  twoFactorEnabledSchema,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
} from "@ensemble/protocol/wire/accounts";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const totpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "six digits");
const enableBody = z.object({ code: totpCode });
const regenerateBody = z.object({ code: totpCode });
const disableBody = z
  .object({ password: passwordSchema.optional(), code: z.string().trim().min(6).max(40).optional() })
  .refine((b) => b.password !== undefined || b.code !== undefined, { message: "give your password or a code" });

/**
 * A wrong code from someone already signed in is a 422, not the sign-in
 * flow's 401: a 401 would tell the client that its session has ended.
 */
const wrongCode = () => new AppError("invalid_two_factor_code", "this code is not valid", { status: 422 });

/** TOTP enrolment, recovery codes and turning two-factor off, for the signed-in user. */
export function twoFactorRoutes(app: FastifyInstance, k: Kernel): void {
  const limit = { max: k.config.RATE_LIMIT_SIGNIN_PER_MIN, timeWindow: 60_000, per: "credential" as const };

  /** Reading the state needs any credential; changing the second factor needs a browser session. */
  const loadSelf = async (actor: UserActor, change = true): Promise<UserRow> => {
    if (change) requireBrowserSession(actor);
    const user = await findUserById(k.db, actor.id);
    return k.policy.authorize(actor, UserResource, "update", user);
  };

  route(app, {
    method: "GET",
    url: "/api/me/two-factor",
    summary: "Whether two-factor authentication is on and how many recovery codes are left",
    tags: ["two-factor"],
    auth: "user",
    response: twoFactorStatusSchema,
    handler: async ({ actor }) => {
      const user = await loadSelf(actor, false);
      const left = await k.db
        .selectFrom("recovery_codes")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("user_id", "=", user.id)
        .where("used_at", "is", null)
        .executeTakeFirstOrThrow();
      return { enabled: user.totp_enabled === 1, recoveryCodesLeft: user.totp_enabled === 1 ? Number(left.n) : 0 };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/me/two-factor/setup",
    summary: "Start enrolment: a new secret, its otpauth URI and a QR code to scan",
    tags: ["two-factor"],
    auth: "user",
    response: twoFactorSetupSchema,
    handler: async ({ actor }) => {
      const user = await loadSelf(actor);
      if (user.totp_enabled)
        throw new AppError("two_factor_already_enabled", "two-factor authentication is already on");
      const secret = generateSecret();
      const settings = await k.settings.get();
      const otpauthUri = generateURI({ issuer: settings.brandName, label: user.username, secret });
      const qrCode = await QRCode.toDataURL(otpauthUri, {
        type: "image/png",
        errorCorrectionLevel: "M",
        margin: 2,
        width: 256,
      });
      // The secret stays pending (totp_enabled = 0) until a code proves the app has it.
      await k.db
        .updateTable("users")
        .set({ totp_secret: secret, totp_enabled: 0, totp_last_step: null, updated_at: new Date().toISOString() })
        .where("id", "=", user.id)
        .where("totp_enabled", "=", 0)
        .execute();
      return { secret, otpauthUri, qrCode };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/me/two-factor/enable",
    summary: "Finish enrolment with a code from the app; returns recovery codes, shown this once",
    tags: ["two-factor"],
    auth: "user",
    response: twoFactorEnabledSchema,
    rateLimit: limit,
    body: enableBody,
    handler: async ({ actor, body }) => {
      const user = await loadSelf(actor);
      if (user.totp_enabled)
        throw new AppError("two_factor_already_enabled", "two-factor authentication is already on");
      if (!user.totp_secret) throw new AppError("two_factor_not_enabled", "start the set-up first");
      if (!(await verifySecondFactor(k.db, user, { totp: body.code }))) throw wrongCode();
      const codes = await k.db.transaction().execute(async (tx) => {
        const upd = await tx
          .updateTable("users")
          .set({ totp_enabled: 1, updated_at: new Date().toISOString() })
          .where("id", "=", user.id)
          .where("totp_enabled", "=", 0)
          .where("totp_secret", "=", user.totp_secret)
          .executeTakeFirst();
        if (Number(upd.numUpdatedRows) !== 1)
          throw new AppError("conflict", "the set-up changed meanwhile; start again");
        await recordEvent(tx, {
          name: "accounts.user.two_factor_enabled",
          actorId: actor.id,
          resources: { user: user.id },
          payload: {},
        });
        return replaceRecoveryCodes(tx, user.id);
      });
      return { enabled: true, recoveryCodes: codes };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/me/two-factor/disable",
    summary: "Turn two-factor off, confirmed by the password or a current code (TOTP or recovery)",
    tags: ["two-factor"],
    auth: "user",
    response: noContent,
    rateLimit: limit,
    body: disableBody,
    handler: async ({ actor, body }) => {
      const user = await loadSelf(actor);
      if (!user.totp_enabled) throw new AppError("two_factor_not_enabled", "two-factor authentication is off");
      let ok = false;
      if (body.password !== undefined) ok = await verifyPassword(user.password_hash, body.password);
      else if (body.code !== undefined) {
        const input = /^\d{6}$/.test(body.code) ? { totp: body.code } : { recoveryCode: body.code };
        ok = await verifySecondFactor(k.db, user, input);
      }
      if (!ok) {
        if (body.password !== undefined) throw new AppError("invalid_credentials", "wrong password", { status: 422 });
        throw wrongCode();
      }
      await k.db.transaction().execute(async (tx) => {
        await tx
          .updateTable("users")
          .set({ totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: new Date().toISOString() })
          .where("id", "=", user.id)
          .execute();
        await tx.deleteFrom("recovery_codes").where("user_id", "=", user.id).execute();
        await recordEvent(tx, {
          name: "accounts.user.two_factor_disabled",
          actorId: actor.id,
          resources: { user: user.id },
          payload: {},
        });
      });
      return undefined;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/me/two-factor/recovery-codes",
    summary: "Replace all recovery codes (confirmed by a current TOTP code); the old ones stop working",
    tags: ["two-factor"],
    auth: "user",
    response: recoveryCodesSchema,
    rateLimit: limit,
    body: regenerateBody,
    handler: async ({ actor, body }) => {
      const user = await loadSelf(actor);
      if (!user.totp_enabled) throw new AppError("two_factor_not_enabled", "two-factor authentication is off");
      if (!(await verifySecondFactor(k.db, user, { totp: body.code }))) throw wrongCode();
      const codes = await k.db.transaction().execute((tx) => replaceRecoveryCodes(tx, user.id));
      return { recoveryCodes: codes };
    },
  });
}

/** `xxxxx-xxxxx` from an alphabet without look-alike characters: about 49 bits each. */
function newRecoveryCode(): string {
  let s = "";
  for (let i = 0; i < 10; i += 1) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

async function replaceRecoveryCodes(db: Kysely<KernelTables>, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("recovery_codes")
    .values(
      codes.map((c) => ({ id: uuidv7(), user_id: userId, code_hash: sha256(normaliseRecoveryCode(c)), used_at: null })),
    )
    .execute();
  return codes;
}
