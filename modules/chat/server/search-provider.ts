import { defineSearchProvider, type Kernel, type SearchHit, type SearchProvider } from "@ensemble/kernel";
import { ChatMessageResource } from "./resources.ts";
import { loadMessage } from "./messages.ts";
import { searchMessages } from "./search.ts";
import { chatDb } from "./tables.ts";

/**
 * Chat's part of the one search: answered from chat's own message index (so
 * the chat filters `in:#room from:@user has:file has:link before: after:`
 * work in the global search box too), and every hit re-checked by the policy.
 */
export function chatSearchProvider(k: Kernel): SearchProvider {
  const db = chatDb(k);
  return defineSearchProvider({
    type: "chat.message",
    query: async (actor, q, limit) => {
      const { items } = await searchMessages(k, actor, q.text, { limit });
      return items.map((h, i): SearchHit => {
        const text = h.message.text;
        return {
          type: "chat.message",
          id: h.message.id,
          title: h.room.type === "dm" ? (h.message.author?.displayName ?? "") : `#${h.room.slug ?? h.room.name}`,
          snippet: text.length > 200 ? `${text.slice(0, 199)}…` : text,
          url: `/chat/${h.room.id}?message=${h.message.id}`,
          // Newest first within chat; the score only orders chat against other providers.
          score: Math.max(0.1, 0.9 - i * 0.01),
          data: { roomId: h.room.id, authorId: h.message.authorId, createdAt: h.message.createdAt },
        };
      });
    },
    authorize: async (actor, hits) => {
      const out: SearchHit[] = [];
      for (const h of hits) {
        const m = await loadMessage(k, db, h.id, actor);
        if (m && m.deleted_at === null && (await k.policy.can(actor, ChatMessageResource, "read", m))) out.push(h);
      }
      return out;
    },
  });
}
