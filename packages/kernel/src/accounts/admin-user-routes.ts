import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Kernel } from "../kernel.ts";
import { route } from "../http/route.ts";
import { recordEvent } from "../events/record-event.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import { roleSchema, selfSchema } from "@ensemble/protocol/wire/accounts";
import { generatePassword, hashPassword } from "./passwords.ts";
import { displayNameSchema, emailSchema, insertUser, presentSelf, usernameSchema } from "./users.ts";

const createUserBody = z
  .object({
    username: usernameSchema,
    displayName: displayNameSchema.optional(),
    email: emailSchema.optional(),
    role: roleSchema.default("member"),
  })
  .strict();

const createdUserSchema = z.object({
  user: selfSchema,
  /** Shown once, to be passed on safely; the person changes it in their settings. */
  password: z.string(),
});

/**
 * An administrator creates a person's account from Administration › Users,
 * as `ensemble user add` does from the command line (same rules, same
 * generated password shown once, same `accounts.user.created` event —
 * audited, here with the administrator as actor). Inviting by e-mail instead
 * is `POST /api/invitations` with an address.
 */
export function adminUserRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "POST",
    url: "/api/admin/users",
    summary: "Create a person's account; its generated password is returned only in this response",
    tags: ["admin"],
    auth: "user",
    body: createUserBody,
    response: createdUserSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, OrgResource, "manage_users");
      const password = generatePassword(body.username);
      const passwordHash = await hashPassword(password, k.config);
      const user = await k.db.transaction().execute(async (tx) => {
        const row = await insertUser(tx, {
          username: body.username,
          displayName: body.displayName ?? body.username,
          email: body.email ?? null,
          role: body.role,
          passwordHash,
        });
        await recordEvent(tx, {
          name: "accounts.user.created",
          actorId: actor.id,
          resources: { user: row.id },
          payload: { username: row.username, kind: "person", role: body.role, via: "admin" },
        });
        return row;
      });
      return { user: presentSelf(user), password };
    },
  });
}
