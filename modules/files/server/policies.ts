import { z } from "zod";
import { expressionBuilder } from "kysely";
import { AppError, can, isUser, noRows, type Actor, type Kernel, type KernelTables } from "@ensemble/kernel";
import { canWithShare, type ShareCapability } from "../shared/share-levels.ts";
import {
  FilesIncomingShareResource,
  FilesLinkResource,
  FilesPublicLinkResource,
  FilesNodeResource,
  FilesOrgResource,
  FilesShareResource,
  FilesSpaceResource,
  FilesUploadResource,
  type NodeRecord,
} from "./resources.ts";
import { forRecipient, groupsOf } from "./share-access.ts";
import { filesDb, type FilesTables } from "./tables.ts";
import { loadNodeRecord } from "./tree.ts";

const admin = (a: Actor) => isUser(a) && can(a.role, "admin.console");
const reaches = (n: NodeRecord) => n.space.access !== null;
/** What a share gives on this node (the shared node itself and what lies below). */
const shared = (n: NodeRecord, c: ShareCapability) => n.share !== null && canWithShare(n.share.level, c);
/** What a share on a folder above gives: deleting, renaming or moving needs it (the shared node stays). */
const sharedAbove = (n: NodeRecord, c: ShareCapability) => n.share !== null && canWithShare(n.share.above, c);
const eb = expressionBuilder<KernelTables & FilesTables>();
/** The spaces a person reaches (their own, their groups' folders), as a sub-query. */
const spacesReached = (userId: string) =>
  eb
    .selectFrom("files_spaces")
    .select("id")
    .where((w) => w.or([w("user_id", "=", userId), w("group_id", "in", groupsOf(userId))]));

/**
 * Who may do what with files. A personal space is its owner's alone (administrators set its quota
 * but do not read it); a group folder belongs to the members of its kernel group. Everything in a
 * space follows the space; a trashed node is only read, restored or purged. Shares open a node and
 * what lies below it to a person or a group, at a level mapped to capabilities in
 * `shared/share-levels.ts`; the trash stays the space's.
 */
export function filesPolicies(k: Kernel): void {
  const p = k.policy;
  p.organisation(FilesOrgResource);
  p.allow(FilesOrgResource, "read", (a) => isUser(a));
  p.allow(FilesOrgResource, "create_group_folder", admin);

  p.allow(FilesSpaceResource, "read", (a, s) => isUser(a) && (s.access !== null || admin(a)));
  p.allow(FilesSpaceResource, "write", (a, s) => isUser(a) && s.access !== null);
  p.allow(FilesSpaceResource, "administer", admin);

  // Other services (co-editing) authorize a file by id through these same rules.
  p.loader(FilesNodeResource, async (a, id) =>
    isUser(a) && z.uuid().safeParse(id).success ? loadNodeRecord(filesDb(k), a, id) : undefined,
  );
  // Through a share, only what is live: the trash is the space's.
  p.allow(FilesNodeResource, "read", (a, n) => isUser(a) && (reaches(n) || (!n.trashed && shared(n, "read"))));
  p.allow(FilesNodeResource, "write", (a, n) => isUser(a) && !n.trashed && (reaches(n) || shared(n, "write")));
  p.allow(FilesNodeResource, "delete", (a, n) => isUser(a) && !n.trashed && (reaches(n) || sharedAbove(n, "delete")));
  p.allow(FilesNodeResource, ["restore", "purge"], (a, n) => isUser(a) && reaches(n) && n.deleted_at !== null);
  // A space's root is shared as the space (a group folder), never as a node.
  p.allow(
    FilesNodeResource,
    "share",
    (a, n) => isUser(a) && !n.trashed && n.parent_id !== null && (reaches(n) || shared(n, "reshare")),
  );

  // Shares: those who manage them (their creator, the people of the node's space) and their recipients.
  p.allow(FilesShareResource, "read", (a, s) => isUser(a) && (s.viewer.manages || s.viewer.recipient));
  p.allow(FilesShareResource, ["update", "revoke"], (a, s) => isUser(a) && s.viewer.manages);
  // A recipient may leave a share made to them by name (a group's share is the group's).
  p.allow(FilesShareResource, "revoke", (a, s) => isUser(a) && s.viewer.recipient && s.recipient_user_id === a.id);
  p.visibility(FilesShareResource, (a, ref) => {
    if (!isUser(a)) return noRows;
    return eb.or([
      eb(ref("created_by"), "=", a.id),
      eb(ref("space_id"), "in", spacesReached(a.id)),
      forRecipient(
        a.id,
        { user: ref("recipient_user_id"), group: ref("recipient_group_id"), expires: ref("expires_at") },
        new Date().toISOString(),
      ),
    ]);
  });

  // Public links: managed like shares; reached by whoever holds the token (no account needed).
  p.allow(FilesLinkResource, ["read", "revoke"], (a, l) => isUser(a) && l.viewer.manages);
  p.visibility(FilesLinkResource, (a, ref) => {
    if (!isUser(a)) return noRows;
    return eb.or([eb(ref("created_by"), "=", a.id), eb(ref("space_id"), "in", spacesReached(a.id))]);
  });
  p.allow(FilesPublicLinkResource, "read", () => true);
  p.allow(FilesPublicLinkResource, "download", (_a, l) => l.kind === "read");
  p.allow(FilesPublicLinkResource, "upload", (_a, l) => l.kind === "upload");
  p.refuse(FilesPublicLinkResource, ["download", "upload"], (_a, l) =>
    l.expired
      ? new AppError("files_link_expired", "this link has expired")
      : l.unlocked
        ? null
        : new AppError("files_link_password_required", "this link asks for its password"),
  );

  // A tus upload in progress is its author's alone; writing into its folder is asked again at every step.
  p.allow(FilesUploadResource, ["read", "write"], (a, u) => isUser(a) && u.user_id === a.id);

  p.allow(FilesIncomingShareResource, "read", (a, s) => isUser(a) && s.viewer.recipient);
  p.visibility(FilesIncomingShareResource, (a, ref) =>
    isUser(a)
      ? forRecipient(
          a.id,
          { user: ref("recipient_user_id"), group: ref("recipient_group_id"), expires: ref("expires_at") },
          new Date().toISOString(),
        )
      : noRows,
  );
}
