import { AppError, type Kernel, type UserActor } from "@ensemble/kernel";
import { FilesNodeResource } from "../resources.ts";
import { filesDb } from "../tables.ts";
import { childByName, loadNodeRecord } from "../tree.ts";
import { uploadFile } from "../upload.ts";
import { tusOf } from "./tus-server.ts";
import { uploadDb, type FilesTusUploadsTable } from "./upload-tables.ts";

/** A finishing step that has not ended after this long (its node died) may be taken over. */
const FINISH_STALE_MS = 10 * 60_000;
export const CLEANUP_JOB_MS = 3_600_000;

/**
 * Makes a complete tus upload a file: its bytes stream from the tus store through the one upload
 * path (`uploadFile`: SHA-256 computed and compared with the one announced, quota, a version when
 * it replaces a file, one transaction). Until then nothing of it is in the tree. One request
 * finishes it (a second one is told to retry: 423); a refusal is final and discards the upload, a
 * failure (the store, the database) leaves it complete for the next HEAD to finish.
 */
export async function finishUpload(k: Kernel, actor: UserActor, row: FilesTusUploadsTable): Promise<string> {
  if (row.node_id) return row.node_id;
  const db = uploadDb(k);
  const now = new Date();
  const claimed = await db
    .updateTable("files_tus_uploads")
    .set({ finishing_at: now.toISOString() })
    .where("id", "=", row.id)
    .where("node_id", "is", null)
    .where((eb) =>
      eb.or([
        eb("finishing_at", "is", null),
        eb("finishing_at", "<", new Date(now.getTime() - FINISH_STALE_MS).toISOString()),
      ]),
    )
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) throw new AppError("files_locked", "this upload is being finished");
  try {
    const folder = await k.policy.authorize(
      actor,
      FilesNodeResource,
      "write",
      await loadNodeRecord(filesDb(k), actor, row.folder_id),
    );
    const existing = await childByName(filesDb(k), folder.id, row.name);
    if (existing?.kind === "folder") throw new AppError("files_name_taken", `a folder is named "${row.name}"`);
    const { node } = await uploadFile(k, {
      actorId: actor.id,
      space: folder.space,
      parent: folder,
      name: row.name,
      existing,
      body: tusOf(k).store.read(row.id),
      declared: Number(row.length),
      mimeType: row.mime_type,
      mtime: null,
      checksum: row.sha256 ? { algo: "sha256", value: row.sha256 } : null,
    });
    await db
      .updateTable("files_tus_uploads")
      .set({ node_id: node.id, finishing_at: null })
      .where("id", "=", row.id)
      .execute();
    await removeBytes(k, row.id);
    return node.id;
  } catch (e) {
    if (e instanceof AppError) await discardUpload(k, row.id);
    else await db.updateTable("files_tus_uploads").set({ finishing_at: null }).where("id", "=", row.id).execute();
    throw e;
  }
}

async function removeBytes(k: Kernel, id: string): Promise<void> {
  // Already gone (removed by a terminate, or never written) is what we want.
  await tusOf(k)
    .store.remove(id)
    .catch(() => undefined);
}

/** Forgets an upload and its bytes. */
export async function discardUpload(k: Kernel, id: string): Promise<void> {
  await uploadDb(k).deleteFrom("files_tus_uploads").where("id", "=", id).execute();
  await removeBytes(k, id);
}

/** Expired uploads: unfinished ones lose their bytes, finished ones their row; then stray tus files. */
export async function cleanUpUploads(k: Kernel, now = Date.now()): Promise<number> {
  const expired = await uploadDb(k)
    .selectFrom("files_tus_uploads")
    .select("id")
    .where("expires_at", "<", new Date(now).toISOString())
    .limit(1000)
    .execute();
  for (const u of expired) await discardUpload(k, u.id);
  await tusOf(k).server.cleanUpExpiredUploads();
  return expired.length;
}

export function startUploadCleanup(k: Kernel): void {
  k.jobs.every("files.uploads.cleanup", CLEANUP_JOB_MS, async () => {
    const n = await cleanUpUploads(k);
    if (n > 0) k.log.info({ uploads: n }, "expired tus uploads discarded");
  });
}
