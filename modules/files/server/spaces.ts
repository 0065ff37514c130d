import { z } from "zod";
import { AppError, isUniqueViolation, recordEvent, type Kernel, type UserActor } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { filesDb, type FilesDb, type FilesSpacesTable } from "./tables.ts";
import type { SpaceAccess, SpaceRecord } from "./resources.ts";

/** The organisation's files settings (the kernel's `files` settings namespace). */
export const filesSettingsSchema = z.object({
  /** Quota of a space without its own, in bytes. */
  defaultQuotaBytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 ** 3),
  /** Earlier contents kept per file. */
  versionsKept: z.number().int().min(0).max(100).default(10),
});
export const filesSettings = (k: Kernel) => k.settings.namespace("files", filesSettingsSchema);

/**
 * The same settings read through a transaction's own connection. `k.settings` reads through the
 * pool: inside a transaction on SQLite (one connection) that read waits for the transaction to end,
 * which never comes — every write in the space hung once the settings cache had expired.
 */
export async function filesSettingsIn(tx: FilesDb): Promise<z.output<typeof filesSettingsSchema>> {
  const row = await tx.selectFrom("settings").select("value").where("key", "=", "files").executeTakeFirst();
  return filesSettingsSchema.parse(row ? JSON.parse(row.value) : {});
}

export const quotaOf = async (k: Kernel, s: FilesSpacesTable): Promise<number> =>
  s.quota_bytes === null ? (await filesSettings(k).get()).defaultQuotaBytes : Number(s.quota_bytes);

export async function accessTo(db: FilesDb, actor: UserActor, s: FilesSpacesTable): Promise<SpaceAccess> {
  if (s.kind === "user") return s.user_id === actor.id ? "owner" : null;
  if (!s.group_id) return null;
  const m = await db
    .selectFrom("group_members")
    .select("user_id")
    .where("group_id", "=", s.group_id)
    .where("user_id", "=", actor.id)
    .executeTakeFirst();
  return m ? "member" : null;
}

/** Whether someone manages a share or link: they made it, or they reach the space it lies in. */
export async function manages(
  db: FilesDb,
  actor: UserActor,
  createdBy: string | null,
  spaceId: string,
): Promise<boolean> {
  if (createdBy === actor.id) return true;
  const space = await db.selectFrom("files_spaces").selectAll().where("id", "=", spaceId).executeTakeFirstOrThrow();
  return (await accessTo(db, actor, space)) !== null;
}

export async function spaceRecord(db: FilesDb, actor: UserActor, s: FilesSpacesTable): Promise<SpaceRecord> {
  return { ...s, access: await accessTo(db, actor, s) };
}

/** « Mes fichiers »: created on first use, once (a concurrent first use finds the other's). */
export async function personalSpace(k: Kernel, actor: UserActor): Promise<SpaceRecord> {
  const db = filesDb(k);
  const found = await db.selectFrom("files_spaces").selectAll().where("user_id", "=", actor.id).executeTakeFirst();
  if (found) return { ...found, access: "owner" };
  try {
    const s = await db
      .transaction()
      .execute((tx) =>
        createSpace(tx, { kind: "user", userId: actor.id, groupId: null, name: "Mes fichiers", actorId: actor.id }),
      );
    return { ...s, access: "owner" };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const s = await db.selectFrom("files_spaces").selectAll().where("user_id", "=", actor.id).executeTakeFirstOrThrow();
    return { ...s, access: "owner" };
  }
}

export async function createSpace(
  tx: FilesDb,
  a: { kind: "user" | "group"; userId: string | null; groupId: string | null; name: string; actorId: string },
): Promise<FilesSpacesTable> {
  const now = new Date().toISOString();
  const space: FilesSpacesTable = {
    id: uuidv7(),
    kind: a.kind,
    user_id: a.userId,
    group_id: a.groupId,
    name: a.name,
    root_id: uuidv7(),
    quota_bytes: null,
    used_bytes: 0,
    created_at: now,
  };
  await tx.insertInto("files_spaces").values(space).execute();
  await tx
    .insertInto("files_nodes")
    .values({
      id: space.root_id,
      space_id: space.id,
      parent_id: null,
      name: "",
      kind: "folder",
      content_id: null,
      size: 0,
      mime_type: null,
      etag: uuidv7(),
      mtime: now,
      created_by: a.actorId,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await recordEvent(tx, {
    name: "files.space.created",
    actorId: a.actorId,
    resources: { space: space.id },
    payload: { kind: a.kind, name: a.name, groupId: a.groupId },
  });
  return space;
}

/** The spaces a person reaches: their own and their groups' folders. */
export async function spacesOf(k: Kernel, actor: UserActor): Promise<SpaceRecord[]> {
  const own = await personalSpace(k, actor);
  const groups = await filesDb(k)
    .selectFrom("files_spaces")
    .innerJoin("group_members", "group_members.group_id", "files_spaces.group_id")
    .selectAll("files_spaces")
    .where("group_members.user_id", "=", actor.id)
    .orderBy("files_spaces.name")
    .execute();
  return [own, ...groups.map((g): SpaceRecord => ({ ...g, access: "member" }))];
}

/** Adds `delta` bytes to a space's usage; refuses (rolls back) when that passes its quota. */
export async function chargeSpace(tx: FilesDb, spaceId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await tx
    .updateTable("files_spaces")
    .set((eb) => ({ used_bytes: eb("used_bytes", "+", delta) }))
    .where("id", "=", spaceId)
    .execute();
  if (delta < 0) return;
  const s = await tx.selectFrom("files_spaces").selectAll().where("id", "=", spaceId).executeTakeFirstOrThrow();
  const quota = s.quota_bytes === null ? (await filesSettingsIn(tx)).defaultQuotaBytes : Number(s.quota_bytes);
  if (Number(s.used_bytes) > quota) {
    throw new AppError("files_quota_exceeded", "this does not fit in the space's quota");
  }
}
