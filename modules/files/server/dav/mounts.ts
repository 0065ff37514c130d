import type { Kernel, UserActor } from "@ensemble/kernel";
import { FilesIncomingShareResource, type ShareAccess, type SpaceRecord } from "../resources.ts";
import { spacesOf } from "../spaces.ts";
import { filesDb } from "../tables.ts";
import { ancestorsOf, childByName, childrenOf, loadNodeRecord } from "../tree.ts";

/**
 * A folder or file of another space shown at the root of someone's WebDAV tree, Nextcloud-style:
 * a group folder they are a member of, or a node shared with them.
 */
export interface Mount {
  /** Its name in the tree (the node's, or the group folder's, made unique among the root's entries). */
  name: string;
  space: SpaceRecord;
  /** The node the mount shows (a group folder's root, or the shared node). */
  rootId: string;
  /** The names from its space's root down to it: lock paths are within the space. */
  prefix: string[];
  /** Null for a group folder (its members reach the whole space). */
  share: ShareAccess | null;
}

const unique = (name: string, taken: Set<string>): string => {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name} (${i})`;
  taken.add(n);
  return n;
};

/**
 * What mounts at the root of this person's tree, in a stable order: group folders by name, then
 * shares by date. A name already used in « Mes fichiers » or by an earlier mount gets « (2) ».
 * A share inside another share (or in a space they reach) is reached through that one, not mounted.
 */
export async function mountsOf(k: Kernel, actor: UserActor, personal: SpaceRecord): Promise<Mount[]> {
  const db = filesDb(k);
  const taken = new Set((await childrenOf(db, personal.root_id)).map((c) => c.name));
  const out: Mount[] = [];
  for (const s of (await spacesOf(k, actor)).filter((x) => x.id !== personal.id))
    out.push({ name: unique(s.name, taken), space: s, rootId: s.root_id, prefix: [], share: null });
  const shared = await db
    .selectFrom("files_shares as s")
    .select(["s.node_id"])
    .where(k.policy.scope(FilesIncomingShareResource, actor)("s"))
    .orderBy("s.created_at")
    .limit(1000)
    .execute();
  const seen = new Set<string>();
  for (const { node_id } of shared) {
    if (seen.has(node_id)) continue;
    seen.add(node_id);
    const rec = await loadNodeRecord(db, actor, node_id);
    if (!rec || rec.trashed || rec.share === null || rec.share.rootId !== rec.id) continue;
    const prefix = (await ancestorsOf(db, rec.id)).slice(1).map((n) => n.name);
    out.push({ name: unique(rec.name, taken), space: rec.space, rootId: rec.id, prefix, share: rec.share });
  }
  return out;
}

/** The mount a URL's first name designates, when it is not an entry of « Mes fichiers » itself. */
export async function mountAt(
  k: Kernel,
  actor: UserActor,
  personal: SpaceRecord,
  first: string,
): Promise<Mount | undefined> {
  if (await childByName(filesDb(k), personal.root_id, first)) return undefined;
  return (await mountsOf(k, actor, personal)).find((m) => m.name === first);
}
