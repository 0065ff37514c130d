import { sql } from "kysely";
import type { UserActor } from "@ensemble/kernel";
import type { FilesDb, FilesNodesTable } from "./tables.ts";
import type { NodeRecord, SpaceRecord } from "./resources.ts";
import { spaceRecord } from "./spaces.ts";
import { shareAccess } from "./share-access.ts";

export type Node = FilesNodesTable;

/** PostgreSQL answers bigint columns as strings: numbers from here on. */
export const normalise = (n: Node): Node => ({ ...n, size: Number(n.size) });

export async function getNode(db: FilesDb, id: string): Promise<Node | undefined> {
  const n = await db.selectFrom("files_nodes").selectAll().where("id", "=", id).executeTakeFirst();
  return n && normalise(n);
}

export async function childByName(db: FilesDb, parentId: string, name: string): Promise<Node | undefined> {
  const n = await db
    .selectFrom("files_nodes")
    .selectAll()
    .where("parent_id", "=", parentId)
    .where("name", "=", name)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return n && normalise(n);
}

/** A folder's live entries, by name. */
export async function childrenOf(db: FilesDb, parentId: string): Promise<Node[]> {
  const rows = await db
    .selectFrom("files_nodes")
    .selectAll()
    .where("parent_id", "=", parentId)
    .where("deleted_at", "is", null)
    .orderBy("name")
    .execute();
  return rows.map(normalise);
}

/**
 * Walks names among live entries from a folder (a space's root, or a group folder or share mounted in
 * someone's WebDAV tree). `chain` holds the nodes found (root first);
 * `node` is the target when every name resolved, `parent` the folder that would hold it when all
 * but the last did (null when the parent itself is missing or is a file).
 */
export async function resolveFrom(
  db: FilesDb,
  rootId: string,
  names: readonly string[],
): Promise<{ node: Node | undefined; parent: Node | null }> {
  let cur = await getNode(db, rootId);
  if (!cur) throw new Error(`node ${rootId} is missing`);
  let parent: Node | null = null;
  for (let i = 0; i < names.length; i++) {
    if (cur.kind !== "folder") return { node: undefined, parent: null };
    parent = cur;
    const next = await childByName(db, cur.id, names[i]!);
    if (!next) return { node: undefined, parent: i === names.length - 1 ? parent : null };
    cur = next;
  }
  return { node: cur, parent };
}

/** The node and every folder above it, root first (one recursive statement, both engines). */
export async function ancestorsOf(db: FilesDb, nodeId: string): Promise<Node[]> {
  const r = await sql<Node & { depth: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from files_nodes where id = ${nodeId}
      union all
      select n.id, n.parent_id, up.depth + 1 from files_nodes n join up on n.id = up.parent_id
    )
    select files_nodes.*, up.depth from files_nodes join up on up.id = files_nodes.id order by up.depth desc`.execute(
    db,
  );
  return r.rows.map(({ depth: _depth, ...n }) => normalise(n));
}

/** Every node under (and including) this one, trashed ones too. */
export async function subtreeOf(db: FilesDb, nodeId: string): Promise<Node[]> {
  const r = await sql<Node>`
    with recursive down(id) as (
      select id from files_nodes where id = ${nodeId}
      union all
      select n.id from files_nodes n join down on n.parent_id = down.id
    )
    select files_nodes.* from files_nodes join down on down.id = files_nodes.id`.execute(db);
  return r.rows.map(normalise);
}

/** A node as the policy sees it: through its space, or (when the viewer does not reach the space) through shares. */
export async function nodeRecordIn(db: FilesDb, actor: UserActor, space: SpaceRecord, node: Node): Promise<NodeRecord> {
  const chain = await ancestorsOf(db, node.id);
  const share = space.access === null ? await shareAccess(db, actor, chain) : null;
  return { ...node, space, trashed: chain.some((n) => n.deleted_at !== null), share };
}

/** A node as the policy sees it, or undefined when there is none. */
export async function loadNodeRecord(db: FilesDb, actor: UserActor, id: string): Promise<NodeRecord | undefined> {
  const node = await getNode(db, id);
  if (!node) return undefined;
  const s = await db.selectFrom("files_spaces").selectAll().where("id", "=", node.space_id).executeTakeFirstOrThrow();
  return nodeRecordIn(db, actor, await spaceRecord(db, actor, s), node);
}
