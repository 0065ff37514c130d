import {
  AppError,
  isUniqueViolation,
  notify,
  recordEvent,
  type Kernel,
  type UserActor,
  type NotificationKind,
} from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import type { FileShare } from "../shared/wire.ts";
import type { ShareLevel } from "../shared/share-levels.ts";
import { FilesShareResource, type NodeRecord, type ShareRecord } from "./resources.ts";
import { manages } from "./spaces.ts";
import type { FilesDb, FilesSharesTable } from "./tables.ts";

export const filesNotificationKinds: readonly NotificationKind[] = [
  { kind: "files.share", defaults: { inApp: true, push: true, email: true } },
];

/** A share with the viewer's relation to it (recipient, manager). */
export async function shareRecord(db: FilesDb, actor: UserActor, s: FilesSharesTable): Promise<ShareRecord> {
  const live = s.expires_at === null || s.expires_at > new Date().toISOString();
  let recipient = live && s.recipient_user_id === actor.id;
  if (live && !recipient && s.recipient_group_id) {
    const m = await db
      .selectFrom("group_members")
      .select("user_id")
      .where("group_id", "=", s.recipient_group_id)
      .where("user_id", "=", actor.id)
      .executeTakeFirst();
    recipient = m !== undefined;
  }
  return { ...s, viewer: { recipient, manages: await manages(db, actor, s.created_by, s.space_id) } };
}

export async function loadShare(db: FilesDb, actor: UserActor, id: string): Promise<ShareRecord | undefined> {
  const s = await db.selectFrom("files_shares").selectAll().where("id", "=", id).executeTakeFirst();
  return s && shareRecord(db, actor, s);
}

/** Names of the recipients of these shares (people by display name, groups by name), in two statements. */
async function recipientNames(db: FilesDb, shares: readonly FilesSharesTable[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const users = shares.flatMap((s) => (s.recipient_user_id ? [s.recipient_user_id] : []));
  const groups = shares.flatMap((s) => (s.recipient_group_id ? [s.recipient_group_id] : []));
  if (users.length)
    for (const u of await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", users).execute())
      names.set(u.id, u.display_name);
  if (groups.length)
    for (const g of await db.selectFrom("groups").select(["id", "name"]).where("id", "in", groups).execute())
      names.set(g.id, g.name);
  return names;
}

export async function presentShares(k: Kernel, actor: UserActor, shares: readonly ShareRecord[]): Promise<FileShare[]> {
  const names = await recipientNames(k.db.withTables(), shares);
  return Promise.all(
    shares.map(async (s) => {
      const id = (s.recipient_user_id ?? s.recipient_group_id)!;
      return {
        id: s.id,
        nodeId: s.node_id,
        recipient: {
          kind: s.recipient_user_id ? ("user" as const) : ("group" as const),
          id,
          name: names.get(id) ?? "",
        },
        permission: s.permission,
        expiresAt: s.expires_at,
        createdAt: s.created_at,
        createdBy: s.created_by,
        actions: await k.policy.allowedActions(actor, FilesShareResource, s),
      };
    }),
  );
}

/**
 * Shares a node, in one transaction with its event and the recipients' notification (a group's
 * members at this moment). Sharing again with the same recipient is a conflict: change the share.
 */
export async function createShare(
  tx: FilesDb,
  a: {
    actor: UserActor;
    node: NodeRecord;
    recipient: { kind: "user" | "group"; id: string };
    permission: ShareLevel;
    expiresAt: string | null;
  },
): Promise<FilesSharesTable> {
  const share: FilesSharesTable = {
    id: uuidv7(),
    node_id: a.node.id,
    space_id: a.node.space_id,
    recipient_user_id: a.recipient.kind === "user" ? a.recipient.id : null,
    recipient_group_id: a.recipient.kind === "group" ? a.recipient.id : null,
    permission: a.permission,
    expires_at: a.expiresAt,
    created_by: a.actor.id,
    created_at: new Date().toISOString(),
  };
  try {
    await tx.insertInto("files_shares").values(share).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", "this is already shared with them: change that share");
    throw e;
  }
  await recordEvent(tx, {
    name: "files.share.created",
    actorId: a.actor.id,
    resources: { node: a.node.id, space: a.node.space_id, share: share.id },
    payload: {
      nodeId: a.node.id,
      recipientKind: a.recipient.kind,
      recipientId: a.recipient.id,
      permission: a.permission,
    },
  });
  const recipients =
    a.recipient.kind === "user"
      ? [a.recipient.id]
      : (await tx.selectFrom("group_members").select("user_id").where("group_id", "=", a.recipient.id).execute()).map(
          (m) => m.user_id,
        );
  const who = a.actor.username;
  await notify(tx, {
    recipients,
    kind: "files.share",
    actorId: a.actor.id,
    title: {
      key: "files.notification.shared",
      params: { who, name: a.node.name },
      text: `${who} a partagé « ${a.node.name} » avec vous`,
    },
    link: a.node.kind === "folder" ? `/files/${a.node.id}` : "/files/shared",
    importance: "normal",
    key: `files.share:${share.id}`,
  });
  return share;
}
