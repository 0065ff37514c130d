import { sql } from "kysely";
import type { Kernel } from "../kernel.ts";
import { foldedContains, foldText } from "../db/fold.ts";
import { UserResource } from "../accounts/resources.ts";
import { defineSearchProvider, type SearchHit, type SearchProvider } from "./search-provider.ts";

/**
 * People, straight from the users table (the directory is small enough to
 * scan folded, and always current). Guests find only themselves and the
 * people of their groups, as in the directory; each hit is re-checked with
 * the `user` read rule.
 */
export function peopleProvider(k: Kernel): SearchProvider {
  return defineSearchProvider({
    type: "people",
    query: async (actor, q, limit) => {
      const haystack = sql`${sql.ref("username")} || ' ' || ${sql.ref("display_name")} || ' ' || coalesce(${sql.ref("email")}, '')`;
      let query = k.db
        .selectFrom("users")
        .select(["id", "username", "display_name", "avatar_key"])
        .where("deactivated", "=", 0)
        .where(k.policy.scope(UserResource, actor)("users"));
      for (const t of q.terms) query = query.where(foldedContains(k.database, haystack, t));
      const rows = await query
        .orderBy("display_name")
        .orderBy("id")
        .limit(limit * 4)
        .execute();
      const hits: SearchHit[] = rows.map((u) => {
        const name = foldText(u.display_name);
        const words = name.split(/\s+/);
        const first = q.terms[0] ? foldText(q.terms[0]) : "";
        // A name that starts with the query ranks first, then a word of it, then any match.
        const score =
          name.startsWith(first) || u.username.startsWith(first)
            ? 0.95
            : words.some((w) => w.startsWith(first))
              ? 0.8
              : 0.5;
        return {
          type: "people",
          id: u.id,
          title: u.display_name,
          snippet: `@${u.username}`,
          url: `/people/${u.id}`,
          score,
          data: { username: u.username, hasAvatar: u.avatar_key !== null },
        };
      });
      return hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);
    },
    authorize: async (actor, hits) => {
      if (!hits.length) return [];
      const rows = await k.db
        .selectFrom("users")
        .selectAll()
        .where(
          "id",
          "in",
          hits.map((h) => h.id),
        )
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const out: SearchHit[] = [];
      for (const h of hits) {
        const u = byId.get(h.id);
        if (u && (await k.policy.can(actor, UserResource, "read", u))) out.push(h);
      }
      return out;
    },
  });
}
