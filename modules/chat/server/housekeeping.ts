import type { Kernel } from "@ensemble/kernel";
import { chatDb } from "./tables.ts";

/** An upload never attached to a message is deleted after this long (the composer was abandoned). */
export const ORPHAN_UPLOAD_MS = 24 * 3_600_000;
export const CLEANUP_JOB_MS = 3_600_000;

/**
 * Housekeeping of what link previews, slash commands and uploads leave behind:
 * expired preview cache entries and response URLs, and uploads that no
 * message carries after a day (their contents too).
 */
export async function chatHousekeeping(
  k: Kernel,
  now = Date.now(),
): Promise<{ previews: number; responseUrls: number; orphans: number }> {
  const db = chatDb(k);
  const iso = new Date(now).toISOString();
  const previews = await db.deleteFrom("chat_link_previews").where("expires_at", "<", iso).executeTakeFirst();
  const urls = await db.deleteFrom("chat_response_urls").where("expires_at", "<", iso).executeTakeFirst();
  const orphans = await db
    .selectFrom("chat_files")
    .select(["id", "blob_key", "thumb_key"])
    .where("message_id", "is", null)
    .where("created_at", "<", new Date(now - ORPHAN_UPLOAD_MS).toISOString())
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("chat_file_rooms")
            .select("chat_file_rooms.file_id")
            .whereRef("chat_file_rooms.file_id", "=", "chat_files.id"),
        ),
      ),
    )
    .limit(1000)
    .execute();
  for (const f of orphans) {
    await db.deleteFrom("chat_files").where("id", "=", f.id).where("message_id", "is", null).execute();
    await k.blobs.delete(f.blob_key);
    if (f.thumb_key) await k.blobs.delete(f.thumb_key);
  }
  return {
    previews: Number(previews.numDeletedRows),
    responseUrls: Number(urls.numDeletedRows),
    orphans: orphans.length,
  };
}

export function startCleanupJob(k: Kernel): void {
  // The job keeps its first name: its lease is held under it.
  k.jobs.every("chat.extras.cleanup", CLEANUP_JOB_MS, async () => {
    const r = await chatHousekeeping(k);
    if (r.previews + r.responseUrls + r.orphans > 0) k.log.info(r, "chat housekeeping");
  });
}
