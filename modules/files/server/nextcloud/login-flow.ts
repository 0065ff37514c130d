import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, rawResponse, randomToken, route, safeEqual, sha256, type Kernel } from "@ensemble/kernel";
import { loginFlowDb, type LoginFlowTables } from "./login-flow-tables.ts";
import { grantForm, link, page, paragraph, textsFor } from "./login-flow-page.ts";

/** How long a flow waits for the person to grant access and for the client to collect the password. */
const FLOW_MS = 20 * 60 * 1000;
const tokenParams = z.object({ token: z.string().min(20).max(100) });

/**
 * The public address clients are told to use: PUBLIC_URL when the administrator set one, else the
 * address this request came to (a client is only ever told the address it already reached).
 */
const origin = (k: Kernel, req: FastifyRequest) =>
  k.config.PUBLIC_URL?.replace(/\/$/, "") ?? `${req.protocol}://${req.host}`;

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type("text/html; charset=utf-8").header("cache-control", "no-store").send(body);

/**
 * Nextcloud's login flow v2, how the desktop and mobile clients sign in without asking for a
 * password: the client starts a flow, opens the login URL in the browser, where the signed-in
 * person grants access (a new app password, read and write), and polls until it gets it once.
 */
export function loginFlowRoutes(app: FastifyInstance, k: Kernel): void {
  const db = loginFlowDb(k);
  const flowByLogin = async (token: string) =>
    db
      .selectFrom("files_login_flows")
      .selectAll()
      .where("login_hash", "=", sha256(token))
      .where("expires_at", ">", new Date().toISOString())
      .executeTakeFirst();

  route(app, {
    method: "POST",
    url: "/index.php/login/v2",
    summary: "Nextcloud login flow v2: start (answers the URL to open in a browser and the token to poll with)",
    tags: ["files"],
    auth: "none",
    rateLimit: { max: 30, timeWindow: "1 minute", per: "address" },
    response: z.object({ poll: z.object({ token: z.string(), endpoint: z.string() }), login: z.string() }),
    handler: async ({ req }) => {
      const now = Date.now();
      await db.deleteFrom("files_login_flows").where("expires_at", "<=", new Date(now).toISOString()).execute();
      const poll = randomToken();
      const login = randomToken();
      const client = (req.headers["user-agent"] ?? "").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 100);
      await db
        .insertInto("files_login_flows")
        .values({
          poll_hash: sha256(poll),
          login_hash: sha256(login),
          client_name: client || "Nextcloud",
          user_id: null,
          app_password: null,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + FLOW_MS).toISOString(),
        })
        .execute();
      const base = origin(k, req);
      return {
        poll: { token: poll, endpoint: `${base}/index.php/login/v2/poll` },
        login: `${base}/index.php/login/v2/flow/${login}`,
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/index.php/login/v2/poll",
    summary: "Nextcloud login flow v2: poll (404 until access is granted, then the app password, once)",
    tags: ["files"],
    auth: "none",
    rateLimit: { max: 120, timeWindow: "1 minute", per: "address" },
    // Clients post `token=…` as a form; nothing here relies on the browser's cookies.
    formBody: true,
    body: z.object({ token: z.string().min(20).max(100) }),
    response: z.object({ server: z.string(), loginName: z.string(), appPassword: z.string() }),
    handler: async ({ body, req }) => {
      // Taken and deleted in one statement: two polls at once cannot both get the password.
      const flow = await db
        .deleteFrom("files_login_flows")
        .where("poll_hash", "=", sha256(body.token))
        .where("app_password", "is not", null)
        .where("expires_at", ">", new Date().toISOString())
        .returningAll()
        .executeTakeFirst();
      const user = flow?.user_id ? await k.users.findById(flow.user_id) : undefined;
      if (!flow?.app_password || !user) throw new AppError("not_found", "no access granted (yet)");
      return { server: origin(k, req), loginName: user.username, appPassword: flow.app_password };
    },
  });

  route(app, {
    method: "GET",
    url: "/index.php/login/v2/flow/:token",
    summary: "Nextcloud login flow v2: the page where the signed-in person grants the client access",
    tags: ["files"],
    auth: "optional",
    params: tokenParams,
    response: rawResponse("text/html", "the grant page"),
    handler: async ({ actor, params, req, reply }) => {
      const { lang, t } = textsFor(req);
      const flow = await flowByLogin(params.token);
      if (!flow || flow.user_id) return html(reply, 404, page(lang, t.title, paragraph(t.gone)));
      if (actor.kind !== "user" || req.authVia !== "session" || !req.csrfToken)
        return html(
          reply,
          200,
          page(lang, t.title, paragraph(t.signIn) + link("/sign-in", t.signInLink) + link(req.url, t.continue)),
        );
      const user = await k.users.findById(actor.id);
      const who = user ? `${user.display_name} (${user.username})` : actor.username;
      return html(
        reply,
        200,
        page(lang, t.title, paragraph(t.ask(flow.client_name, who)) + grantForm(req.url, req.csrfToken, t.grant)),
      );
    },
  });

  route(app, {
    method: "POST",
    url: "/index.php/login/v2/flow/:token",
    summary: "Nextcloud login flow v2: grant (creates an app password for the client to collect)",
    tags: ["files"],
    auth: "user",
    // A plain form cannot send the CSRF header: its token comes as a form field, checked below.
    csrfExempt: true,
    formBody: true,
    params: tokenParams,
    body: z.object({ csrf: z.string().max(200) }),
    response: rawResponse("text/html", "the page saying access was granted"),
    handler: async ({ actor, body, params, req, reply }) => {
      // Only a person in the browser grants: not a token (it would mint itself a sibling).
      if (req.authVia !== "session" || !req.csrfToken || !safeEqual(body.csrf, req.csrfToken))
        throw new AppError("csrf_failed", "missing or wrong CSRF token");
      const { lang, t } = textsFor(req);
      const flow = await flowByLogin(params.token);
      if (!flow || flow.user_id) return html(reply, 404, page(lang, t.title, paragraph(t.gone)));
      await k.db.transaction().execute(async (tx) => {
        const token = await k.tokens.create(tx, {
          userId: actor.id,
          name: flow.client_name.slice(0, 100),
          scopes: ["read", "write"],
          actorId: actor.id,
        });
        const taken = await tx
          .withTables<LoginFlowTables>()
          .updateTable("files_login_flows")
          .set({ user_id: actor.id, app_password: token.token })
          .where("poll_hash", "=", flow.poll_hash)
          .where("user_id", "is", null)
          .executeTakeFirst();
        // Granted twice at once: the second rolls back, its app password never existed.
        if (Number(taken.numUpdatedRows) !== 1) throw new AppError("conflict", "access was already granted");
      });
      return html(reply, 200, page(lang, t.title, paragraph(t.granted)));
    },
  });
}
