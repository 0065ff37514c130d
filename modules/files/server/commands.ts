import { AppError, isUniqueViolation, recordEvent, type Kernel, type PayloadOf } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { MAX_DEPTH } from "../shared/resources.ts";
import type { FilesDb } from "./tables.ts";
import { addRef, insertContent, releaseRefs, type StoredContent } from "./contents.ts";
import { chargeSpace, filesSettingsIn } from "./spaces.ts";
import { ancestorsOf, childrenOf, normalise, subtreeOf, type Node } from "./tree.ts";

const now = () => new Date().toISOString();

type NodeEventName =
  | "files.node.created"
  | "files.node.updated"
  | "files.node.moved"
  | "files.node.trashed"
  | "files.node.restored"
  | "files.node.purged";

/** Records a node's event in the caller's transaction (resources: the node and its space). */
async function nodeEvent<N extends NodeEventName>(
  tx: FilesDb,
  name: N,
  actorId: string,
  node: Pick<Node, "id" | "space_id">,
  payload: PayloadOf<N>,
): Promise<void> {
  await recordEvent(tx, { name, actorId, resources: { node: node.id, space: node.space_id }, payload });
}

/** A unique-name collision inside a transaction is the caller's 409, not a 500. */
async function unique<T>(name: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("files_name_taken", `"${name}" already exists in this folder`);
    throw e;
  }
}

/** A change below a folder changes its ETag and every ETag above it: sync clients walk down by them. */
export async function touch(tx: FilesDb, folderId: string): Promise<void> {
  const ids = (await ancestorsOf(tx, folderId)).map((n) => n.id);
  await tx.updateTable("files_nodes").set({ etag: uuidv7(), updated_at: now() }).where("id", "in", ids).execute();
}

async function depthOf(tx: FilesDb, folderId: string): Promise<number> {
  return (await ancestorsOf(tx, folderId)).length;
}

export async function createFolder(tx: FilesDb, actorId: string, parent: Node, name: string): Promise<Node> {
  if ((await depthOf(tx, parent.id)) >= MAX_DEPTH)
    throw new AppError("files_path_invalid", `folders nest at most ${MAX_DEPTH} levels deep`);
  const t = now();
  const node: Node = {
    id: uuidv7(),
    space_id: parent.space_id,
    parent_id: parent.id,
    name,
    kind: "folder",
    content_id: null,
    size: 0,
    mime_type: null,
    etag: uuidv7(),
    mtime: t,
    created_by: actorId,
    created_at: t,
    updated_at: t,
    deleted_at: null,
    deleted_by: null,
  };
  await unique(name, () => tx.insertInto("files_nodes").values(node).execute());
  await touch(tx, parent.id);
  await nodeEvent(tx, "files.node.created", actorId, node, {
    spaceId: node.space_id,
    parentId: parent.id,
    name,
    kind: "folder",
  });
  return node;
}

/**
 * Makes stored bytes visible as a file, in one transaction: a new file, or a new content of an
 * existing one whose previous content becomes a version. The quota is charged here, so two
 * concurrent uploads cannot both pass it.
 */
export async function commitFile(
  k: Kernel,
  tx: FilesDb,
  a: {
    actorId: string;
    parent: Node;
    name: string;
    existing: Node | undefined;
    content: StoredContent;
    mtime: string;
    mimeType: string;
  },
): Promise<{ node: Node; discard: string[] }> {
  const t = now();
  await insertContent(tx, a.content);
  let node: Node;
  let discard: string[] = [];
  if (a.existing) {
    const old = a.existing;
    node = {
      ...old,
      content_id: a.content.id,
      size: a.content.size,
      mime_type: a.mimeType,
      etag: uuidv7(),
      mtime: a.mtime,
      updated_at: t,
    };
    await tx
      .updateTable("files_nodes")
      .set({
        content_id: node.content_id,
        size: node.size,
        mime_type: node.mime_type,
        etag: node.etag,
        mtime: node.mtime,
        updated_at: t,
      })
      .where("id", "=", old.id)
      .execute();
    if (old.content_id) {
      await tx
        .insertInto("files_versions")
        .values({
          id: uuidv7(),
          node_id: old.id,
          content_id: old.content_id,
          size: old.size,
          mtime: old.mtime,
          created_by: a.actorId,
          created_at: t,
        })
        .execute();
      discard = await pruneVersions(tx, old.id);
    }
    await chargeSpace(tx, old.space_id, a.content.size - old.size);
    await nodeEvent(tx, "files.node.updated", a.actorId, node, {
      spaceId: node.space_id,
      size: node.size,
      sha256: a.content.sha256,
    });
  } else {
    node = {
      id: uuidv7(),
      space_id: a.parent.space_id,
      parent_id: a.parent.id,
      name: a.name,
      kind: "file",
      content_id: a.content.id,
      size: a.content.size,
      mime_type: a.mimeType,
      etag: uuidv7(),
      mtime: a.mtime,
      created_by: a.actorId,
      created_at: t,
      updated_at: t,
      deleted_at: null,
      deleted_by: null,
    };
    await unique(a.name, () => tx.insertInto("files_nodes").values(node).execute());
    await chargeSpace(tx, node.space_id, node.size);
    await nodeEvent(tx, "files.node.created", a.actorId, node, {
      spaceId: node.space_id,
      parentId: a.parent.id,
      name: a.name,
      kind: "file",
    });
  }
  await touch(tx, a.parent.id);
  return { node, discard };
}

/** Keeps the newest versions the settings allow; answers contents nobody references any more. */
async function pruneVersions(tx: FilesDb, nodeId: string): Promise<string[]> {
  const keep = (await filesSettingsIn(tx)).versionsKept;
  const old = await tx
    .selectFrom("files_versions")
    .select(["id", "content_id"])
    .where("node_id", "=", nodeId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .offset(keep)
    .limit(1000)
    .execute();
  if (old.length === 0) return [];
  await tx
    .deleteFrom("files_versions")
    .where(
      "id",
      "in",
      old.map((v) => v.id),
    )
    .execute();
  return releaseRefs(
    tx,
    old.map((v) => v.content_id),
  );
}

/** Moves a node to the trash: it keeps its place and name there, and a new entry may take its name. */
export async function trashNode(tx: FilesDb, actorId: string, node: Node): Promise<void> {
  if (node.parent_id === null) throw new AppError("forbidden", "a space's root cannot be deleted");
  await tx
    .updateTable("files_nodes")
    .set({ deleted_at: now(), deleted_by: actorId })
    .where("id", "=", node.id)
    .execute();
  await touch(tx, node.parent_id);
  await nodeEvent(tx, "files.node.trashed", actorId, node, { spaceId: node.space_id, name: node.name });
}

/** Puts a trashed node back; when its name was taken meanwhile it comes back as « name (restored) ». */
export async function restoreNode(tx: FilesDb, actorId: string, node: Node): Promise<Node> {
  if (!node.parent_id) throw new AppError("not_found", "not in the trash");
  const taken = await childrenOf(tx, node.parent_id);
  let name = node.name;
  for (let i = 1; taken.some((c) => c.name === name); i++) name = `${node.name} (${i})`;
  await tx
    .updateTable("files_nodes")
    .set({ deleted_at: null, deleted_by: null, name })
    .where("id", "=", node.id)
    .execute();
  await touch(tx, node.parent_id);
  await nodeEvent(tx, "files.node.restored", actorId, node, { spaceId: node.space_id, name });
  return { ...node, name, deleted_at: null, deleted_by: null };
}

/** Deletes a node and everything under it for good; answers the contents to discard after commit. */
export async function purgeNode(k: Kernel, tx: FilesDb, actorId: string, node: Node): Promise<string[]> {
  const all = await subtreeOf(tx, node.id);
  const ids = all.map((n) => n.id);
  const refs: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const versions = await tx.selectFrom("files_versions").select("content_id").where("node_id", "in", part).execute();
    refs.push(...versions.map((v) => v.content_id));
  }
  for (const n of all) if (n.content_id) refs.push(n.content_id);
  // Children first, so the self-reference holds at every step on both engines.
  for (const n of [...all].reverse()) await tx.deleteFrom("files_nodes").where("id", "=", n.id).execute();
  await chargeSpace(tx, node.space_id, -all.reduce((sum, n) => sum + (n.kind === "file" ? n.size : 0), 0));
  if (node.parent_id) await touch(tx, node.parent_id);
  await nodeEvent(tx, "files.node.purged", actorId, node, { spaceId: node.space_id, name: node.name });
  return releaseRefs(tx, refs);
}

/** Copies a node under another folder (folders with what they hold when `deep`); contents are shared, not duplicated. */
export async function copyNode(
  k: Kernel,
  tx: FilesDb,
  actorId: string,
  src: Node,
  dest: Node,
  name: string,
  deep: boolean,
): Promise<Node> {
  const ancestors = await ancestorsOf(tx, dest.id);
  if (src.kind === "folder" && ancestors.some((n) => n.id === src.id))
    throw new AppError("files_path_invalid", "a folder cannot be copied into itself");
  const copy = await copyOne(k, tx, actorId, src, dest, name);
  await touch(tx, dest.id);
  if (src.kind === "folder" && deep) {
    const walk = async (from: Node, to: Node, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH) throw new AppError("files_path_invalid", "too deep");
      for (const child of await childrenOf(tx, from.id)) {
        const c = await copyOne(k, tx, actorId, child, to, child.name);
        if (child.kind === "folder") await walk(child, c, depth + 1);
      }
    };
    await walk(src, copy, ancestors.length);
  }
  await nodeEvent(tx, "files.node.created", actorId, copy, {
    spaceId: copy.space_id,
    parentId: dest.id,
    name,
    kind: copy.kind,
  });
  return copy;
}

async function copyOne(k: Kernel, tx: FilesDb, actorId: string, src: Node, dest: Node, name: string): Promise<Node> {
  const t = now();
  const node: Node = normalise({
    ...src,
    id: uuidv7(),
    space_id: dest.space_id,
    parent_id: dest.id,
    name,
    etag: uuidv7(),
    created_by: actorId,
    created_at: t,
    updated_at: t,
    deleted_at: null,
    deleted_by: null,
  });
  await unique(name, () => tx.insertInto("files_nodes").values(node).execute());
  if (node.content_id) {
    await addRef(tx, node.content_id);
    await chargeSpace(tx, node.space_id, node.size);
  }
  const props = await tx.selectFrom("files_props").selectAll().where("node_id", "=", src.id).execute();
  if (props.length)
    await tx
      .insertInto("files_props")
      .values(props.map((p) => ({ ...p, node_id: node.id })))
      .execute();
  return node;
}

/** Moves or renames a node within its space. */
export async function moveNode(tx: FilesDb, actorId: string, node: Node, dest: Node, name: string): Promise<Node> {
  if (!node.parent_id) throw new AppError("forbidden", "a space's root cannot be moved");
  if (dest.space_id !== node.space_id) throw new AppError("files_path_invalid", "moves stay within one space");
  if ((await ancestorsOf(tx, dest.id)).some((n) => n.id === node.id))
    throw new AppError("files_path_invalid", "a folder cannot be moved into itself");
  await unique(name, () =>
    tx
      .updateTable("files_nodes")
      .set({ parent_id: dest.id, name, updated_at: now() })
      .where("id", "=", node.id)
      .execute(),
  );
  await touch(tx, node.parent_id);
  await touch(tx, dest.id);
  await nodeEvent(tx, "files.node.moved", actorId, node, { spaceId: node.space_id, parentId: dest.id, name });
  return { ...node, parent_id: dest.id, name };
}
