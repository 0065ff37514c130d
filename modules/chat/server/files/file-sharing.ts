import { defineEventHandler, type Actor, type EventHandler, type Kernel, type UserActor } from "@ensemble/kernel";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { chatDb } from "../tables.ts";
import { type ChatFilesTable } from "./file-tables.ts";

/** Readers of the room a file was posted in, or of a room it was shared into, may read it. */
export async function mayReadFile(k: Kernel, f: ChatFilesTable, actor: Actor): Promise<boolean> {
  const rooms = [
    f.room_id,
    ...(
      await chatDb(k).selectFrom("chat_file_rooms").select("room_id").distinct().where("file_id", "=", f.id).execute()
    ).map((r) => r.room_id),
  ];
  for (const roomId of new Set(rooms)) {
    const room = await loadRoom(chatDb(k), roomId, actor);
    if (room && (await k.policy.can(actor, ChatRoomResource, "read", room))) return true;
  }
  return false;
}

/**
 * When a message carrying files is created: an upload attached by its owner
 * in its own room gets its message id (the files service lists it in the
 * owner's space); a file shown in another room (forward, or any message that
 * names it) is shared into that room — only if the author may read the file,
 * so naming a file id one cannot read shares nothing.
 */
export function fileLinkHandler(k: Kernel): EventHandler<"chat.message.created"> {
  const db = chatDb(k);
  return defineEventHandler({
    name: "chat.files.link",
    events: ["chat.message.created"],
    handle: async (event) => {
      const m = event.payload.message;
      const ids = [
        ...new Set((m.attachments ?? []).map((a) => a.file?.id).filter((x): x is string => typeof x === "string")),
      ];
      if (!ids.length || !m.authorId) return;
      const author = await db
        .selectFrom("users")
        .select(["id", "username", "role"])
        .where("id", "=", m.authorId)
        .executeTakeFirst();
      if (!author) return;
      const asAuthor: UserActor = {
        kind: "user",
        id: author.id,
        username: author.username,
        role: author.role,
        scopes: null,
        sessionId: null,
        tokenId: null,
      };
      for (const f of await db.selectFrom("chat_files").selectAll().where("id", "in", ids).execute()) {
        if (f.room_id === m.roomId) {
          if (f.owner_id === m.authorId && f.message_id === null)
            await db
              .updateTable("chat_files")
              .set({ message_id: m.id })
              .where("id", "=", f.id)
              .where("message_id", "is", null)
              .execute();
          continue;
        }
        if (!(await mayReadFile(k, f, asAuthor))) continue;
        await db
          .insertInto("chat_file_rooms")
          .values({ file_id: f.id, room_id: m.roomId, message_id: m.id, shared_by: m.authorId })
          .onConflict((oc) => oc.columns(["file_id", "message_id"]).doNothing())
          .execute();
      }
    },
  });
}
