import { defineEventHandler, type EventHandler, type Kernel } from "@ensemble/kernel";
import { BackgroundTasks } from "../extras/background.ts";
import { extrasDb, type ChatExtrasTables } from "../extras/extras-tables.ts";
import { recordMessageUpdated } from "../extras/load-message.ts";
import { outbound } from "../extras/outbound.ts";
import { chatDb } from "../tables.ts";
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

/** Fetches the preview of a message's first link and attaches it, unless the sender removed it meanwhile. */
export async function attachPreview(k: Kernel, messageId: string, text: string): Promise<void> {
  const preview = await new PreviewService(extrasDb(k), outbound(k)).previewFor(text);
  if (!preview) return;
  await chatDb(k)
    .transaction()
    .execute(async (tx) => {
      const removed = await tx
        .withTables<Pick<ChatExtrasTables, "chat_preview_removals">>()
        .selectFrom("chat_preview_removals").select("message_id").where("message_id", "=", messageId).executeTakeFirst();
      if (removed) return;
      const r = await tx
        .updateTable("chat_messages")
        .set({ preview: JSON.stringify(preview) })
        .where("id", "=", messageId)
        .where("deleted_at", "is", null)
        .where("preview", "is", null)
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
