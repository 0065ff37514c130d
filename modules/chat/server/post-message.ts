import { uuidv7, type PresenceStatus } from "@ensemble/protocol";
import { recordEvent, type DbKind } from "@ensemble/kernel";
import { messageSource } from "./redact-message.ts";
import type { TransactionLike } from "@ensemble/kernel";
import { hasLink, parseMentions } from "../shared/mentions.ts";
import { roomTopic } from "../shared/resources.ts";
import type { MessageNotifyHints } from "../shared/events.ts";
import type { Attachment, ChatMessage, LinkPreview, MessageKind, MessageMeta } from "../shared/schemas.ts";
import { insertSequenced } from "./post-message-steps.ts";
import { notifyMessage } from "./notify-message.ts";
import { normalizeMessage, presentMessage } from "./present-message.ts";
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
  meta?: MessageMeta | null;
}

export interface PostedMessage {
  row: ChatMessagesTable;
  message: ChatMessage;
}

/**
 * Posts a message inside the caller's transaction: hands out the room's next
 * sequence number (which, on PostgreSQL, locks the room row so sends to one
 * room commit in seq order; everything that does not need the number is read
 * before), stores the message, its mentions, the thread
 * bookkeeping and the search entry, moves the author's read marker, and
 * records `chat.message.created` on `room:<id>`. It does not authorize:
 * routes and integrations check the policy first.
 */
export interface PostMessageKernel {
  database: { kind: DbKind };
  realtime: { presenceOf(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> };
}

export async function postMessage(
  k: PostMessageKernel,
  txLike: ChatTx,
  input: PostMessageInput,
): Promise<PostedMessage> {
  const tx = txLike as unknown as ChatDb;
  const now = new Date().toISOString();
  let parentId = input.parentId ?? null;
  let parentAuthor: string | null = null;
  if (parentId) {
    // The root's author comes in the same statement when the parent is itself a reply.
    const parent = await tx
      .selectFrom("chat_messages as p")
      .leftJoin("chat_messages as root", "root.id", "p.parent_id")
      .select(["p.id", "p.parent_id", "p.room_id", "p.author_id", "root.author_id as root_author_id"])
      .where("p.id", "=", parentId)
      .executeTakeFirst();
    if (!parent || parent.room_id !== input.roomId) throw new Error("thread parent is not in this room");
    parentId = parent.parent_id ?? parent.id;
    parentAuthor = parent.parent_id ? parent.root_author_id : parent.author_id;
  }
  const inChannel = parentId === null || input.alsoInChannel === true;

  const parsed = parseMentions(input.text);
  // The member list only serves mentions, `@channel`/`@here` and DMs: a plain channel message skips it (bench `chat`).
  // Read before the room row is locked (it is not what orders sends), so the lock is held for fewer round trips.
  const mentionsMembers = parsed.usernames.length > 0 || parsed.all || parsed.here;
  const members: ActiveMember[] = mentionsMembers ? await activeMembers(tx, input.roomId) : [];
  const wanted = new Set(parsed.usernames);
  const mentioned = members.filter((m) => wanted.has(m.username) && m.id !== input.authorId).map((m) => m.id);
  const roomIds = parsed.channelSlugs.length
    ? (
        await tx
          .selectFrom("chat_rooms")
          .select("id")
          .where("slug", "in", parsed.channelSlugs)
          .where("type", "=", "channel")
          .execute()
      ).map((r) => r.id)
    : [];
  const attachments = input.attachments?.length ? input.attachments : null;

  const row: ChatMessagesTable = {
    id: uuidv7(),
    room_id: input.roomId,
    // Given by insertSequenced.
    seq: 0,
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
  const seqRow = await insertSequenced(
    tx,
    k.database.kind,
    { authorId: input.authorId, moveReadMarker: inChannel },
    row,
  );
  const seq = seqRow.seq;
  // A DM notifies its other participants.
  if (seqRow.type === "dm" && !mentionsMembers) members.push(...(await activeMembers(tx, input.roomId)));
  if (mentioned.length) {
    await tx
      .insertInto("chat_mentions")
      .values(mentioned.map((user_id) => ({ message_id: row.id, room_id: row.room_id, user_id, seq })))
      .execute();
  }

  let followers: string[] = [];
  if (parentId) {
    await tx
      .updateTable("chat_messages")
      .set((eb) => ({ reply_count: eb("reply_count", "+", 1), last_reply_at: now }))
      .where("id", "=", parentId)
      .execute();
    const newFollowers = [
      ...new Set([input.authorId, parentAuthor, ...mentioned].filter((x): x is string => x !== null)),
    ];
    if (newFollowers.length) {
      await tx
        .insertInto("chat_thread_followers")
        .values(
          newFollowers.map((user_id) => ({ thread_id: parentId!, user_id, room_id: row.room_id, created_at: now })),
        )
        .onConflict((oc) => oc.columns(["thread_id", "user_id"]).doNothing())
        .execute();
    }
    followers = (
      await tx.selectFrom("chat_thread_followers").select("user_id").where("thread_id", "=", parentId).execute()
    )
      .map((f) => f.user_id)
      .filter((id) => id !== input.authorId);
  }
  // A message just inserted has no reactions, and its author came with the sequence number.
  const message = presentMessage(row, { author: seqRow.author, reactions: [] });
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
    payload: { message, notify },
    topics: [roomTopic(row.room_id)],
    source: messageSource(row.id),
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
    authorName: seqRow.author?.displayName ?? null,
    room: { name: seqRow.name, type: seqRow.type },
  });
  return { row: normalizeMessage(row), message };
}

interface ActiveMember {
  id: string;
  username: string;
  muted: number;
}

async function activeMembers(tx: ChatDb, roomId: string): Promise<ActiveMember[]> {
  return tx
    .selectFrom("chat_members")
    .innerJoin("users", "users.id", "chat_members.user_id")
    .select(["users.id", "users.username", "chat_members.muted"])
    .where("chat_members.room_id", "=", roomId)
    .where("users.deactivated", "=", 0)
    .execute();
}

/** The message an author already sent with this client key, if any. */
export async function findByClientKey(
  dbLike: ChatTx,
  authorId: string,
  clientKey: string,
): Promise<ChatMessagesTable | undefined> {
  const db = dbLike as unknown as ChatDb;
  const row = await db
    .selectFrom("chat_messages")
    .selectAll()
    .where("author_id", "=", authorId)
    .where("client_key", "=", clientKey)
    .executeTakeFirst();
  return row ? normalizeMessage(row) : undefined;
}
