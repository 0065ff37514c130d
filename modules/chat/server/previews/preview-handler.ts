import { defineEventHandler, type EventHandler, type Kernel } from "@ensemble/kernel";
import { BackgroundTasks } from "./background-tasks.ts";
import { type ChatTables, chatDb } from "../tables.ts";
import { recordMessageUpdated } from "./message-record.ts";
import { extractUrls } from "./fetch-preview.ts";
import { PreviewService } from "./preview-service.ts";

const tasksByKernel = new WeakMap<Kernel, BackgroundTasks>();

export function previewTasks(k: Kernel): BackgroundTasks {
  let t = tasksByKernel.get(k);
  if (!t) {
    t = new BackgroundTasks({
      concurrency: 4,
      maxQueued: 500,
      onError: (e) => k.log.warn({ err: (e as Error).message }, "link preview failed"),
    });
    tasksByKernel.set(k, t);
  }
  return t;
}

/**
 * Fetches the preview of a message's first link and attaches it (replacing a
 * stale one after an edit), unless the sender removed it meanwhile or the
 * text changed again since.
 */
export async function attachPreview(
  k: Kernel,
  messageId: string,
  text: string,
  opts: { replacing?: string | null } = {},
): Promise<void> {
  const preview = await new PreviewService(chatDb(k), k).previewFor(text);
  // Nothing to attach, and nothing stale to take away.
  if (!preview && (opts.replacing ?? null) === null) return;
  await chatDb(k)
    .transaction()
    .execute(async (tx) => {
      const removed = await tx
        .withTables<Pick<ChatTables, "chat_preview_removals">>()
        .selectFrom("chat_preview_removals")
        .select("message_id")
        .where("message_id", "=", messageId)
        .executeTakeFirst();
      if (removed) return;
      const current = opts.replacing ?? null;
      const r = await tx
        .updateTable("chat_messages")
        .set({ preview: preview ? JSON.stringify(preview) : null })
        .where("id", "=", messageId)
        .where("deleted_at", "is", null)
        .where((eb) => (current === null ? eb("preview", "is", null) : eb("preview", "=", current)))
        // An edit since the send may have removed the link: then this preview is stale.
        .where("text", "=", text)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return;
      await recordMessageUpdated(tx, messageId, null);
    });
}

/**
 * On `chat.message.created`, previews are fetched in the background: the
 * dispatcher hands events out one after another, and a slow site must not
 * delay everyone's messages. At-least-once delivery may start a fetch twice;
 * the update only applies while the message has no preview.
 */
export function previewHandler(k: Kernel): EventHandler<"chat.message.created"> {
  return defineEventHandler({
    name: "chat.previews",
    events: ["chat.message.created"],
    handle: async (event) => {
      const m = event.payload.message;
      if (m.kind === "system" || m.deletedAt !== null || m.preview !== null) return;
      if (!extractUrls(m.text, 1).length) return;
      previewTasks(k).run(() => attachPreview(k, m.id, m.text));
    },
  });
}

/**
 * After an edit (`chat.message.updated` caused by a person), a preview whose
 * link is gone is dropped, and a new first link gets its preview. Updates
 * made by this module (actor null) are ignored, so it never loops.
 */
export function previewEditHandler(k: Kernel): EventHandler<"chat.message.updated"> {
  return defineEventHandler({
    name: "chat.previews.edits",
    events: ["chat.message.updated"],
    handle: async (event) => {
      const m = event.payload.message;
      if (event.actorId === null || m.kind === "system" || m.deletedAt !== null || m.editedAt === null) return;
      const urls = extractUrls(m.text, 3);
      if (m.preview && urls.includes(m.preview.url)) return;
      if (!m.preview && !urls.length) return;
      const removed = await chatDb(k)
        .selectFrom("chat_preview_removals")
        .select("message_id")
        .where("message_id", "=", m.id)
        .executeTakeFirst();
      if (removed) return;
      const row = await chatDb(k)
        .selectFrom("chat_messages")
        .select("preview")
        .where("id", "=", m.id)
        .executeTakeFirst();
      if (!row) return;
      previewTasks(k).run(() => attachPreview(k, m.id, m.text, { replacing: row.preview }));
    },
  });
}
