import { sql } from "kysely";
import {
  defineSearchProvider,
  foldedContains,
  foldText,
  type Kernel,
  type SearchHit,
  type SearchProvider,
} from "@ensemble/kernel";
import { ChatRoomResource } from "./resources.ts";
import { loadRoom } from "./rooms.ts";
import { chatDb } from "./tables.ts";

/**
 * Channels and private groups by name, address or topic (accent- and
 * case-insensitive), among the rooms the searcher may read: public channels
 * and the groups they belong to; never DMs (people are found as people),
 * nor archived rooms. A name that starts with the query ranks above people
 * and messages, as in Slack's search, where channels come first.
 */
export function chatRoomSearchProvider(k: Kernel): SearchProvider {
  const db = chatDb(k);
  return defineSearchProvider({
    type: "chat.room",
    query: async (actor, q, limit) => {
      if (!q.terms.length) return [];
      const haystack = sql`${sql.ref("chat_rooms.name")} || ' ' || coalesce(${sql.ref("chat_rooms.slug")}, '') || ' ' || ${sql.ref("chat_rooms.topic")}`;
      let query = db
        .selectFrom("chat_rooms")
        .select(["id", "type", "slug", "name", "topic"])
        .where("type", "in", ["channel", "private"])
        .where("archived_at", "is", null)
        .where(k.policy.scope(ChatRoomResource, actor)("chat_rooms"));
      for (const t of q.terms) query = query.where(foldedContains(k.database, haystack, t));
      const rows = await query.orderBy("name").orderBy("id").limit(limit).execute();
      const first = foldText(q.terms[0] ?? "");
      return rows.map((r): SearchHit => {
        const name = foldText(r.name);
        const starts = name.startsWith(first) || (r.slug ?? "").startsWith(first);
        const word = name.split(/[\s-]+/).some((w) => w.startsWith(first));
        return {
          type: "chat.room",
          id: r.id,
          title: `${r.type === "channel" ? "#" : "🔒 "}${r.slug ?? r.name}`,
          snippet: r.topic || (r.name !== r.slug ? r.name : ""),
          url: `/chat/${r.id}`,
          score: starts ? 0.97 : word ? 0.85 : 0.6,
          data: { roomType: r.type, name: r.name },
        };
      });
    },
    authorize: async (actor, hits) => {
      const out: SearchHit[] = [];
      for (const h of hits) {
        const room = await loadRoom(db, h.id, actor);
        if (room && room.archived_at === null && (await k.policy.can(actor, ChatRoomResource, "read", room)))
          out.push(h);
      }
      return out;
    },
  });
}
