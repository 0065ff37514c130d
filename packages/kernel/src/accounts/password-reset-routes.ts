import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Kernel } from "../kernel.ts";
import type { KernelTables } from "../db/tables.ts";
import { noContent, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { checkPasswordRules, hashPassword } from "./passwords.ts";
import { revokeAllSessions } from "./sessions.ts";
import { clearAccountFailures } from "./lockout.ts";
import { consumeOneTimeToken } from "./setup.ts";
import { findUserByLogin, passwordSchema } from "./users.ts";
import { randomToken, sha256 } from "./secrets.ts";
import { acceptedSchema } from "@ensemble/protocol/wire/accounts";

export const RESET_TTL_MS = 3_600_000;

const requestBody = z.object({ login: z.string().trim().min(1).max(254) });
const confirmBody = z.object({ token: z.string().min(20).max(200), password: passwordSchema });

/**
 * Password reset by e-mail. The request always answers 202 whatever the
 * login, and the mail leaves after the answer, so that neither the status
 * nor the timing tells whether an account exists.
 */
export function passwordResetRoutes(app: FastifyInstance, k: Kernel): void {
  const limit = { max: k.config.RATE_LIMIT_SIGNIN_PER_MIN, timeWindow: 60_000, per: "address" as const };

  route(app, {
    method: "POST",
    url: "/api/auth/password-reset/request",
    summary: "Send a password reset link to the account's e-mail address (always 202)",
    tags: ["auth"],
    auth: "none",
    response: acceptedSchema,
    status: 202,
    csrfExempt: true,
    rateLimit: limit,
    body: requestBody,
    handler: async ({ body }) => {
      if (k.config.SSO_ONLY) return { accepted: true };
      setImmediate(() => {
        sendResetLink(k, body.login).catch((err: unknown) => {
          k.log.error({ err }, "password reset mail could not be sent");
        });
      });
      return { accepted: true };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/auth/password-reset/confirm",
    summary: "Set a new password with a reset link's token; signs the account out everywhere",
    tags: ["auth"],
    auth: "none",
    response: noContent,
    csrfExempt: true,
    rateLimit: limit,
    body: confirmBody,
    handler: async ({ body }) => {
      // Checked before the password rules so that a weak password does not burn the link.
      const pending = await findResetToken(k.db, body.token);
      const user = pending
        ? await k.db.selectFrom("users").selectAll().where("id", "=", pending.user_id).executeTakeFirst()
        : undefined;
      if (!user || user.deactivated || !user.password_hash) throw invalidLink();
      checkPasswordRules(body.password, { username: user.username, email: user.email });
      const passwordHash = await hashPassword(body.password, k.config);
      const ended = await k.db.transaction().execute(async (tx) => {
        const used = await consumeOneTimeToken(tx, "password_reset", body.token);
        if (!used || used.userId !== user.id) throw invalidLink();
        await tx
          .updateTable("users")
          .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
          .where("id", "=", user.id)
          .execute();
        const revoked = await revokeAllSessions(tx, user.id);
        await retireResetTokens(tx, user.id);
        return revoked;
      });
      await k.realtime.disconnectSessions(ended);
      await clearAccountFailures(k.db, `user:${user.id}`);
      return undefined;
    },
  });
}

/** At most this many links per account and hour, whoever asks: the address cannot be flooded. */
export const RESETS_PER_HOUR = 5;

async function sendResetLink(k: Kernel, login: string): Promise<void> {
  const user = await findUserByLogin(k.db, login);
  // Accounts without a local password (single sign-on) are recovered at the identity provider.
  if (!user || user.deactivated || !user.email || !user.password_hash) return;
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const recent = await k.db
    .selectFrom("one_time_tokens")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("purpose", "=", "password_reset")
    .where("user_id", "=", user.id)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= RESETS_PER_HOUR) {
    k.log.warn({ userId: user.id }, "password reset not sent: too many requests for this account");
    return;
  }
  const token = await k.db.transaction().execute(async (tx) => {
    await retireResetTokens(tx, user.id);
    return issueResetToken(tx, user.id);
  });
  const mail = resetMail(user.locale, `${k.config.publicUrl}/reset-password#token=${token}`, user.display_name);
  await k.mailer.send({ to: user.email, ...mail });
}

/** Only the newest link works; older ones are marked used (not deleted, so that they still count). */
async function retireResetTokens(db: Kysely<KernelTables>, userId: string): Promise<void> {
  await db
    .updateTable("one_time_tokens")
    .set({ used_at: new Date().toISOString() })
    .where("purpose", "=", "password_reset")
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .execute();
}

const invalidLink = () => new AppError("token_invalid", "this reset link is invalid, already used or expired");

async function issueResetToken(db: Kysely<KernelTables>, userId: string): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db
    .insertInto("one_time_tokens")
    .values({
      token_hash: sha256(token),
      purpose: "password_reset",
      user_id: userId,
      expires_at: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return token;
}

async function findResetToken(db: Kysely<KernelTables>, token: string): Promise<{ user_id: string } | null> {
  const row = await db
    .selectFrom("one_time_tokens")
    .select(["user_id", "expires_at"])
    .where("token_hash", "=", sha256(token))
    .where("purpose", "=", "password_reset")
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (!row?.user_id || row.expires_at <= new Date().toISOString()) return null;
  return { user_id: row.user_id };
}

function resetMail(locale: string, link: string, name: string): { subject: string; text: string } {
  if (locale === "en") {
    return {
      subject: "Reset your password",
      text: `Hello ${name},\n\nSomeone (hopefully you) asked to reset your password. Open this link within one hour to choose a new one:\n\n${link}\n\nThe link works once. If you did not ask for it, ignore this message: your password stays the same.\n`,
    };
  }
  return {
    subject: "Réinitialisez votre mot de passe",
    text: `Bonjour ${name},\n\nUne demande de réinitialisation de votre mot de passe a été faite. Ouvrez ce lien dans l'heure pour en choisir un nouveau :\n\n${link}\n\nLe lien ne fonctionne qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n`,
  };
}
