import { uuidv7, type PresenceStatus } from "@ensemble/protocol";
import { recordEvent, type DbKind } from "@ensemble/kernel";
import type { TransactionLike } from "@ensemble/kernel/events/record-event";
import { hasLink, parseMentions } from "../shared/mentions.ts";
import { roomTopic } from "../shared/resources.ts";
import type { MessageNotifyHints } from "../shared/events.ts";
import type { Attachment, ChatMessage, LinkPreview, MessageKind } from "../shared/schemas.ts";
import { indexMessage } from "./search-index.ts";
import { notifyMessage } from "./notify-message.ts";
import { normalizeMessage, presentMessages } from "./present-message.ts";
import type { ChatDb, ChatMessagesTable } from "./tables.ts";
import "./events.ts";

/**
 * Any Kysely instance or transaction whose tables include chat's (other chat
 * files may see more tables than ChatDb does; Kysely types are invariant).
 */
export type ChatTx = TransactionLike;

export interface PostMessageInput {
  roomId: string;
  /** null for system and webhook messages without a bot account. */
  authorId: string | null;
  kind: MessageKind;
  /** Markdown, stored as is. */
  text: string;
  /** Unique per author: the caller handles a retry (see `findByClientKey`). */
  clientKey?: string | null;
  /** A thread root in the same room (a reply to a reply goes to its root). */
  parentId?: string | null;
  alsoInChannel?: boolean;
  quoteId?: string | null;
  forwardedFromId?: string | null;
  attachments?: Attachment[] | null;
  preview?: LinkPreview | null;
  /** Display overrides for bots and webhooks: `{ username, iconUrl, iconEmoji }`, or a forwarded snapshot. */
  meta?: Record<string, unknown> | null;
}

export interface PostedMessage {
  row: ChatMessagesTable;
  message: ChatMessage;
}

/**
 * Posts a message inside the caller's transaction: hands out the room's next
 * sequence number (which, on PostgreSQL, locks the room row so sends to one
 * room commit in seq order), stores the message, its mentions, the thread
 * bookkeeping and the search entry, moves the author's read marker, and
 * records `chat.message.created` on `room:<id>`. It does not authorize:
 * routes and integrations check the policy first.
 */
export interface PostMessageKernel {
  database: { kind: DbKind };
  realtime: { presenceOf(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> };
}

export async function postMessage(k: PostMessageKernel, txLike: ChatTx, input: PostMessageInput): Promise<PostedMessage> {
  const tx = txLike as unknown as ChatDb;
  const now = new Date().toISOString();
  let parentId = input.parentId ?? null;
  let parentAuthor: string | null = null;
  if (parentId) {
    const parent = await tx.selectFrom("chat_messages").select(["id", "parent_id", "room_id", "author_id"]).where("id", "=", parentId).executeTakeFirst();
    if (!parent || parent.room_id !== input.roomId) throw new Error("thread parent is not in this room");
    parentId = parent.parent_id ?? parent.id;
    parentAuthor = parent.parent_id
      ? ((await tx.selectFrom("chat_messages").select("author_id").where("id", "=", parentId).executeTakeFirst())?.author_id ?? null)
      : parent.author_id;
  }
  const seqRow = await tx
    .updateTable("chat_rooms")
    .set((eb) => ({ last_seq: eb("last_seq", "+", 1), last_message_at: now }))
    .where("id", "=", input.roomId)
    .returning(["last_seq", "type", "slug"])
    .executeTakeFirstOrThrow();
  const seq = Number(seqRow.last_seq);

  const parsed = parseMentions(input.text);
  const members = await tx
    .selectFrom("chat_members")
    .innerJoin("users", "users.id", "chat_members.user_id")
    .select(["users.id", "users.username", "chat_members.muted"])
    .where("chat_members.room_id", "=", input.roomId)
    .where("users.deactivated", "=", 0)
    .execute();
  const wanted = new Set(parsed.usernames);
  const mentioned = members.filter((m) => wanted.has(m.username) && m.id !== input.authorId).map((m) => m.id);
  const roomIds = parsed.channelSlugs.length
    ? (await tx.selectFrom("chat_rooms").select("id").where("slug", "in", parsed.channelSlugs).where("type", "=", "channel").execute()).map((r) => r.id)
    : [];
  const attachments = input.attachments?.length ? input.attachments : null;
  const inChannel = parentId === null || input.alsoInChannel === true;

  const row: ChatMessagesTable = {
    id: uuidv7(),
    room_id: input.roomId,
    seq,
    kind: input.kind,
    author_id: input.authorId,
    client_key: input.clientKey ?? null,
    text: input.text,
    parent_id: parentId,
    in_channel: inChannel ? 1 : 0,
    also_in_channel: parentId !== null && input.alsoInChannel === true ? 1 : 0,
    quote_id: input.quoteId ?? null,
    forwarded_from_id: input.forwardedFromId ?? null,
    attachments: attachments ? JSON.stringify(attachments) : null,
    preview: input.preview ? JSON.stringify(input.preview) : null,
    meta: input.meta ? JSON.stringify(input.meta) : null,
    mentions: JSON.stringify({ userIds: mentioned, all: parsed.all, here: parsed.here, roomIds }),
    mentions_all: parsed.all || parsed.here ? 1 : 0,
    has_link: hasLink(input.text) ? 1 : 0,
    has_file: attachments?.some((a) => a.file !== undefined) ? 1 : 0,
    reply_count: 0,
    last_reply_at: null,
    pinned_at: null,
    pinned_by: null,
    created_at: now,
    edited_at: null,
    deleted_at: null,
  };
  await tx.insertInto("chat_messages").values(row).execute();
  if (mentioned.length) {
    await tx.insertInto("chat_mentions").values(mentioned.map((user_id) => ({ message_id: row.id, room_id: row.room_id, user_id, seq }))).execute();
  }

  let followers: string[] = [];
  if (parentId) {
    await tx
      .updateTable("chat_messages")
      .set((eb) => ({ reply_count: eb("reply_count", "+", 1), last_reply_at: now }))
      .where("id", "=", parentId)
      .execute();
    const newFollowers = [...new Set([input.authorId, parentAuthor, ...mentioned].filter((x): x is string => x !== null))];
    for (const user_id of newFollowers) {
      await tx
        .insertInto("chat_thread_followers")
        .values({ thread_id: parentId, user_id, room_id: row.room_id, created_at: now })
        .onConflict((oc) => oc.columns(["thread_id", "user_id"]).doNothing())
        .execute();
    }
    followers = (await tx.selectFrom("chat_thread_followers").select("user_id").where("thread_id", "=", parentId).execute())
      .map((f) => f.user_id)
      .filter((id) => id !== input.authorId);
  }
  if (input.authorId && inChannel) {
    await tx
      .updateTable("chat_members")
      .set({ last_read_seq: seq })
      .where("room_id", "=", row.room_id)
      .where("user_id", "=", input.authorId)
      .where("last_read_seq", "<", seq)
      .execute();
  }
  await indexMessage(tx, k.database.kind, row, { isNew: true });

  const [message] = await presentMessages(tx, [row], null);
  const notify: MessageNotifyHints = {
    mentionedUserIds: mentioned,
    all: parsed.all,
    here: parsed.here,
    threadFollowerIds: followers,
    directRecipientIds: seqRow.type === "dm" ? members.map((m) => m.id).filter((id) => id !== input.authorId) : [],
  };
  await recordEvent(tx, {
    name: "chat.message.created",
    actorId: input.authorId,
    resources: { room: row.room_id, message: row.id, ...(parentId ? { thread: parentId } : {}) },
    payload: { message: message!, notify },
    topics: [roomTopic(row.room_id)],
  });
  // `@here` reaches the members present now, on any node; `@channel` already reaches everyone.
  const here = parsed.here && !parsed.all ? await k.realtime.presenceOf(members.map((m) => m.id)) : null;
  await notifyMessage(tx, row, {
    mentioned,
    broadcast: parsed.all,
    here,
    direct: seqRow.type === "dm",
    threadFollowers: followers,
    members,
  });
  return { row: normalizeMessage(row), message: message! };
}

/** The message an author already sent with this client key, if any. */
export async function findByClientKey(dbLike: ChatTx, authorId: string, clientKey: string): Promise<ChatMessagesTable | undefined> {
  const db = dbLike as unknown as ChatDb;
  const row = await db.selectFrom("chat_messages").selectAll().where("author_id", "=", authorId).where("client_key", "=", clientKey).executeTakeFirst();
  return row ? normalizeMessage(row) : undefined;
}

/** Both engines' unique-constraint errors (concurrent retries of one client key). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return err.code === "23505" || (typeof err.message === "string" && /UNIQUE constraint failed/i.test(err.message));
}
