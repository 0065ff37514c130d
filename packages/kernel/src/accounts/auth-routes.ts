import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Kernel } from "../kernel.ts";
import { noContent, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { orgRecord } from "../authz/organisation.ts";
import { checkPasswordRules, hashPassword, verifyPassword } from "./passwords.ts";
import { createSession, revokeSession } from "./sessions.ts";
import { clearSessionCookies, setSessionCookies } from "./cookies.ts";
import { clearFailures, lockState, recordFailure } from "./lockout.ts";
import { adminExists, consumeOneTimeToken } from "./setup.ts";
import {
  displayNameSchema,
  emailSchema,
  findUserById,
  findUserByLogin,
  insertUser,
  passwordSchema,
  presentSelf,
  usernameSchema,
} from "./users.ts";
import { verifySecondFactor } from "./two-factor.ts";
import { audit } from "../audit/audit.ts";
import { meAnswerSchema, setupNeededSchema, signInAnswerSchema } from "@ensemble/protocol/wire/accounts";

const signInBody = z.object({
  login: z.string().trim().min(1).max(254),
  password: passwordSchema,
  totp: z.string().trim().max(12).optional(),
  recoveryCode: z.string().trim().max(40).optional(),
});

const setupBody = z.object({
  token: z.string().min(10).max(200),
  username: usernameSchema,
  displayName: displayNameSchema,
  email: emailSchema,
  password: passwordSchema,
});

/** First-run setup, sign-in, sign-out and "who am I". */
export function authRoutes(app: FastifyInstance, k: Kernel): void {
  const signInLimit = { max: k.config.RATE_LIMIT_SIGNIN_PER_MIN, timeWindow: 60_000, per: "address" as const };

  route(app, {
    method: "GET",
    url: "/api/setup",
    summary: "Whether the first administrator still has to be created",
    tags: ["auth"],
    auth: "none",
    response: setupNeededSchema,
    handler: async () => ({ needed: !(await adminExists(k.db)) }),
  });

  route(app, {
    method: "POST",
    url: "/api/setup",
    summary: "Create the first administrator with the one-time setup token",
    tags: ["auth"],
    auth: "none",
    response: signInAnswerSchema,
    status: 201,
    rateLimit: signInLimit,
    body: setupBody,
    handler: async ({ body, req, reply }) => {
      checkPasswordRules(body.password, { username: body.username, email: body.email });
      const passwordHash = await hashPassword(body.password, k.config);
      const user = await k.db.transaction().execute(async (tx) => {
        if (await adminExists(tx)) throw new AppError("setup_done", "an administrator already exists");
        if (!(await consumeOneTimeToken(tx, "setup", body.token))) {
          throw new AppError("token_invalid", "this setup link is invalid or has expired");
        }
        return insertUser(tx, {
          username: body.username,
          displayName: body.displayName,
          email: body.email,
          role: "admin",
          passwordHash,
        });
      });
      const session = await createSession(k.db, user.id, meta(req), k.config.SESSION_TTL_DAYS);
      setSessionCookies(reply, req, k.config, session);
      return { user: presentSelf(user), csrfToken: session.csrfToken };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/auth/sign-in",
    summary: "Sign in with a username or e-mail and a password (and a second factor when enrolled)",
    tags: ["auth"],
    auth: "none",
    response: signInAnswerSchema,
    csrfExempt: true,
    rateLimit: signInLimit,
    body: signInBody,
    handler: async ({ body, req, reply }) => {
      if (k.config.SSO_ONLY) throw new AppError("sso_only", "sign in with single sign-on");
      const user = await findUserByLogin(k.db, body.login);
      // Keyed on the account when it exists, so its username and e-mail share one counter.
      const accountKey = user ? `user:${user.id}` : `login:${body.login.toLowerCase()}`;
      const state = await lockState(k.db, accountKey, req.ip);
      const lockedError = (seconds: number) =>
        new AppError("account_locked", `too many failed attempts; try again in ${Math.ceil(seconds / 60)} min`, {
          headers: { "retry-after": String(seconds) },
        });
      if (state.address > 0) throw lockedError(state.address);
      // Under a distributed attack the account opens only to both factors at once, from an address that has not failed.
      const bothFactors = !!user?.totp_enabled && !!(body.totp || body.recoveryCode);
      if (state.account > 0 && (state.addressFailed || !bothFactors)) throw lockedError(state.account);
      const ok = await verifyPassword(user?.password_hash ?? null, body.password);
      const lockout = { threshold: k.config.LOCKOUT_THRESHOLD, minutes: k.config.LOCKOUT_MINUTES };
      const fail = async (reason: string, error: AppError): Promise<never> => {
        await recordFailure(k.db, accountKey, req.ip, lockout);
        await audit(k.db, {
          actorId: user?.id ?? null,
          action: "auth.sign_in.failed",
          ip: req.ip,
          details: { login: body.login, reason },
        });
        // While the account is locked, which factor was wrong is not told.
        throw state.account > 0 ? lockedError(state.account) : error;
      };
      if (!user || !ok || user.deactivated) {
        return fail("invalid_credentials", new AppError("invalid_credentials", "wrong username or password"));
      }
      if (user.totp_enabled) {
        if (!body.totp && !body.recoveryCode) {
          throw new AppError("two_factor_required", "enter the code from your authenticator app");
        }
        if (!(await verifySecondFactor(k.db, user, body))) {
          return fail("invalid_two_factor_code", new AppError("invalid_two_factor_code", "this code is not valid"));
        }
      }
      await clearFailures(k.db, accountKey, req.ip);
      const session = await createSession(k.db, user.id, meta(req), k.config.SESSION_TTL_DAYS);
      await audit(k.db, {
        actorId: user.id,
        action: "auth.sign_in.succeeded",
        target: { type: "user", id: user.id },
        ip: req.ip,
        details: { method: "password" },
      });
      setSessionCookies(reply, req, k.config, session);
      const settings = await k.settings.get();
      const mustEnrol =
        !user.totp_enabled &&
        (settings.requireTwoFactor === "everyone" || (settings.requireTwoFactor === "admins" && user.role === "admin"));
      return { user: presentSelf(user), csrfToken: session.csrfToken, mustEnrolTwoFactor: mustEnrol };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/auth/sign-out",
    summary: "End this session",
    tags: ["auth"],
    auth: "user",
    response: noContent,
    handler: async ({ actor, reply }) => {
      if (actor.sessionId) {
        await revokeSession(k.db, actor.id, actor.sessionId);
        await k.realtime.disconnectSessions([actor.sessionId]);
      }
      clearSessionCookies(reply);
      return undefined;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/me",
    summary: "The signed-in user",
    tags: ["auth"],
    auth: "user",
    response: meAnswerSchema,
    handler: async ({ actor, req, reply }) => {
      // It carries the CSRF token and the profile: no cache (shared or back/forward) may keep it.
      reply.header("cache-control", "no-store");
      const user = await findUserById(k.db, actor.id);
      if (!user) throw new AppError("unauthenticated", "sign in to continue");
      // What the person may do in the organisation (kernel and modules), so the web never compares roles.
      const capabilities = await k.policy.capabilities(actor, await orgRecord(k.settings));
      return { user: presentSelf(user), csrfToken: req.csrfToken, capabilities };
    },
  });
}

export function meta(req: { headers: Record<string, string | string[] | undefined>; ip: string }) {
  const ua = req.headers["user-agent"];
  return { userAgent: typeof ua === "string" ? ua : "", ip: req.ip };
}
