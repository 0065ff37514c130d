import type { AuthorInfo, ChatMessage, MessageMeta } from "../shared/schemas.ts";
import type { ChatDb, ChatMessagesTable } from "./tables.ts";
import { withoutForeignIcon, withoutForeignImages } from "./previews/image-urls.ts";

type Json<T> = T | null;
const parse = <T>(s: string | null): Json<T> => (s ? (JSON.parse(s) as T) : null);

/** PostgreSQL hands bigint columns back as strings. */
export function normalizeMessage<T extends ChatMessagesTable>(m: T): T {
  return { ...m, seq: Number(m.seq), reply_count: Number(m.reply_count) };
}

interface MentionsJson {
  userIds?: string[];
  all?: boolean;
  here?: boolean;
  roomIds?: string[];
}

export type { AuthorInfo };

/**
 * The one presenter of a message: the fields listed here are all a client
 * ever sees. A deleted message keeps its place (tombstone) without content.
 */
export function presentMessage(
  m: ChatMessagesTable,
  extra: { author: AuthorInfo | null; reactions: ChatMessage["reactions"] },
): ChatMessage {
  const deleted = m.deleted_at !== null;
  const mentions = parse<MentionsJson>(m.mentions) ?? {};
  return {
    id: m.id,
    roomId: m.room_id,
    seq: Number(m.seq),
    kind: m.kind,
    authorId: m.author_id,
    author: extra.author,
    // Images only through this server's proxy, whatever an older row holds (see previews/image-urls.ts).
    meta: deleted ? null : withoutForeignIcon(parse<MessageMeta>(m.meta)),
    text: deleted ? "" : m.text,
    clientKey: m.client_key,
    parentId: m.parent_id,
    alsoInChannel: Number(m.also_in_channel) === 1,
    quoteId: m.quote_id,
    forwardedFromId: m.forwarded_from_id,
    attachments: deleted ? null : withoutForeignImages(parse<ChatMessage["attachments"]>(m.attachments)),
    preview: deleted ? null : parse<ChatMessage["preview"]>(m.preview),
    mentions: deleted
      ? { userIds: [], all: false, here: false, roomIds: [] }
      : {
          userIds: mentions.userIds ?? [],
          all: mentions.all === true,
          here: mentions.here === true,
          roomIds: mentions.roomIds ?? [],
        },
    replyCount: Number(m.reply_count),
    lastReplyAt: m.last_reply_at,
    reactions: deleted ? [] : extra.reactions,
    pinnedAt: m.pinned_at,
    createdAt: m.created_at,
    editedAt: m.edited_at,
    deletedAt: m.deleted_at,
  };
}

/** Presents a page of messages with their authors and reaction summaries in two queries. */
export async function presentMessages(
  db: ChatDb,
  rows: readonly ChatMessagesTable[],
  viewerId: string | null,
): Promise<ChatMessage[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const authorIds = [...new Set(rows.map((r) => r.author_id).filter((x): x is string => x !== null))];
  const [authors, reactions] = await Promise.all([
    authorIds.length
      ? db.selectFrom("users").select(["id", "username", "display_name"]).where("id", "in", authorIds).execute()
      : Promise.resolve([]),
    db
      .selectFrom("chat_reactions")
      .select(["message_id", "emoji", "user_id", "created_at"])
      .where("message_id", "in", ids)
      .orderBy("created_at")
      .execute(),
  ]);
  const byAuthor = new Map(authors.map((u) => [u.id, { id: u.id, username: u.username, displayName: u.display_name }]));
  const byMessage = new Map<string, Map<string, string[]>>();
  for (const r of reactions) {
    const perEmoji = byMessage.get(r.message_id) ?? new Map<string, string[]>();
    perEmoji.set(r.emoji, [...(perEmoji.get(r.emoji) ?? []), r.user_id]);
    byMessage.set(r.message_id, perEmoji);
  }
  return rows.map((m) =>
    presentMessage(m, {
      author: m.author_id ? (byAuthor.get(m.author_id) ?? null) : null,
      reactions: [...(byMessage.get(m.id) ?? new Map<string, string[]>())].map(([emoji, userIds]) => ({
        emoji,
        count: userIds.length,
        mine: viewerId !== null && userIds.includes(viewerId),
        userIds,
      })),
    }),
  );
}

export async function presentOne(db: ChatDb, row: ChatMessagesTable, viewerId: string | null): Promise<ChatMessage> {
  const [m] = await presentMessages(db, [row], viewerId);
  return m!;
}
