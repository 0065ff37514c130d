import type { Kernel, Actor } from "@ensemble/kernel";
import type { FileNode, FileSpace } from "../shared/wire.ts";
import { FilesNodeResource, type NodeRecord, type SpaceRecord } from "./resources.ts";
import { quotaOf } from "./spaces.ts";
import type { Node } from "./tree.ts";

/** The fields of a node the web API shows, with the viewer's allowed actions. */
export async function presentNode(
  k: Kernel,
  actor: Actor,
  rec: NodeRecord,
  sha256: string | null = null,
): Promise<FileNode> {
  return {
    id: rec.id,
    spaceId: rec.space_id,
    parentId: rec.parent_id,
    name: rec.name,
    kind: rec.kind,
    size: Number(rec.size),
    mimeType: rec.mime_type,
    etag: rec.etag,
    sha256,
    modifiedAt: rec.mtime,
    createdAt: rec.created_at,
    deletedAt: rec.deleted_at,
    actions: await k.policy.allowedActions(actor, FilesNodeResource, rec),
  };
}

/**
 * Children share their folder's space, trash state and shares (the folder's share reaches them
 * from above): no statement per child.
 */
export const childRecord = (parent: NodeRecord, n: Node): NodeRecord => ({
  ...n,
  space: parent.space,
  trashed: parent.trashed || n.deleted_at !== null,
  share: parent.share && { level: parent.share.level, above: parent.share.level, rootId: parent.share.rootId },
});

export async function presentSpace(k: Kernel, s: SpaceRecord): Promise<FileSpace> {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    rootId: s.root_id,
    groupId: s.group_id,
    quotaBytes: await quotaOf(k, s),
    usedBytes: Number(s.used_bytes),
  };
}
