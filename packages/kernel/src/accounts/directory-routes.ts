import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageQuery } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { foldedContains } from "../db/fold.ts";
import { findUserById, presentUser, type UserRow } from "./users.ts";
import { UserResource } from "./resources.ts";
import { pageOf } from "@ensemble/protocol/wire/page";
import {
  directoryEntrySchema,
  profileCardSchema,
  type DirectoryEntry,
  type ProfileCard,
} from "@ensemble/protocol/wire/accounts";

const searchQuery = pageQuery.extend({ q: z.string().trim().max(100).optional() });
const idParams = z.object({ id: z.uuid() });

/** A directory entry: the public profile plus the work e-mail address. */
export const presentDirectoryEntry = (u: UserRow): DirectoryEntry => ({ ...presentUser(u), email: u.email });

/** Profile card: also the locale and time zone, so colleagues know when to call. */
export const presentProfileCard = (u: UserRow): ProfileCard => ({
  ...presentDirectoryEntry(u),
  locale: u.locale === "en" ? "en" : "fr",
  timeZone: u.time_zone,
});

/**
 * The people directory. Members and admins search everyone active; guests
 * (no `directory.browse`) only find themselves and the people of their groups.
 */
export function directoryRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "GET",
    url: "/api/users",
    summary: "Search people by username, display name or e-mail (case- and accent-insensitive)",
    tags: ["directory"],
    auth: "user",
    response: pageOf(directoryEntrySchema),
    query: searchQuery,
    handler: async ({ actor, query }) => {
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      let q = k.db
        .selectFrom("users")
        .selectAll()
        .where("deactivated", "=", 0)
        .where(k.policy.scope(UserResource, actor)("users"))
        .orderBy("display_name")
        .orderBy("id")
        .limit(query.limit + 1);
      if (query.q) {
        const haystack = sql`${sql.ref("username")} || ' ' || ${sql.ref("display_name")} || ' ' || coalesce(${sql.ref("email")}, '')`;
        q = q.where(foldedContains(k.database, haystack, query.q));
      }
      if (cursor) {
        const [name, id] = cursor.map(String) as [string, string];
        q = q.where((eb) =>
          eb.or([eb("display_name", ">", name), eb.and([eb("display_name", "=", name), eb("id", ">", id)])]),
        );
      }
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(presentDirectoryEntry),
        next: rows.length > query.limit && last ? encodeCursor([last.display_name, last.id]) : null,
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/users/:id",
    summary: "A person's profile card",
    tags: ["directory"],
    auth: "user",
    response: profileCardSchema,
    params: idParams,
    handler: async ({ actor, params }) => {
      const u = await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, params.id));
      return presentProfileCard(u);
    },
  });
}
