import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  AppError,
  findUserById,
  loadGroup,
  noContent,
  recordEvent,
  route,
  GroupResource,
  UserResource,
  type Kernel,
  type UserActor,
} from "@ensemble/kernel";
import { shareLevels, type ShareLevel } from "../shared/share-levels.ts";
import { incomingSharesSchema, shareSchema, sharesSchema, type IncomingShare } from "../shared/wire.ts";
import { FilesIncomingShareResource, FilesNodeResource, FilesShareResource, type NodeRecord } from "./resources.ts";
import { createShare, loadShare, presentShares, shareRecord } from "./shares.ts";
import { filesDb } from "./tables.ts";
import { loadNodeRecord } from "./tree.ts";
import { presentNode } from "./present.ts";

const idParams = z.object({ id: z.uuid() });
/** An expiry: a date in the future, or null for none. */
export const future = z.iso
  .datetime()
  .nullable()
  .refine((d) => d === null || Date.parse(d) > Date.now(), "an expiry date is in the future");

/** One who reaches the node through a share grants at most their own level; its space's people grant any. */
function checkGrant(node: NodeRecord, wanted: ShareLevel): void {
  if (node.share && shareLevels.indexOf(wanted) > shareLevels.indexOf(node.share.level))
    throw new AppError("forbidden", `you may share this at most as "${node.share.level}"`);
}

/** Sharing with people and groups: create, list, change, revoke; « Partagé avec moi ». */
export function shareRoutes(app: FastifyInstance, k: Kernel): void {
  const db = filesDb(k);
  const node = async (actor: UserActor, id: string, action: "read" | "share") =>
    k.policy.authorize(actor, FilesNodeResource, action, await loadNodeRecord(db, actor, id));

  route(app, {
    method: "POST",
    url: "/api/files/nodes/:id/shares",
    summary: "Share a file or folder with a person or a group (read, edit or reshare); they are notified",
    tags: ["files"],
    auth: "user",
    params: idParams,
    body: z.object({
      recipient: z.object({ kind: z.enum(["user", "group"]), id: z.uuid() }),
      permission: z.enum(shareLevels),
      expiresAt: future.default(null),
    }),
    response: shareSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const rec = await node(actor, params.id, "share");
      checkGrant(rec, body.permission);
      const r = body.recipient;
      if (r.kind === "user") {
        if (r.id === actor.id) throw new AppError("validation", "you cannot share with yourself");
        await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, r.id));
      } else await k.policy.authorize(actor, GroupResource, "read", await loadGroup(k.db, r.id, actor));
      const share = await db.transaction().execute((tx) =>
        createShare(tx, {
          actor,
          node: rec,
          recipient: r,
          permission: body.permission,
          expiresAt: body.expiresAt,
        }),
      );
      return (await presentShares(k, actor, [await shareRecord(db, actor, share)]))[0]!;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/files/nodes/:id/shares",
    summary: "The shares of a file or folder (to those who may share it)",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: sharesSchema,
    handler: async ({ actor, params }) => {
      const rec = await node(actor, params.id, "share");
      const rows = await db
        .selectFrom("files_shares as s")
        .selectAll("s")
        .where("s.node_id", "=", rec.id)
        .where(k.policy.scope(FilesShareResource, actor)("s"))
        .orderBy("s.created_at")
        .limit(1000)
        .execute();
      const records = await Promise.all(rows.map((s) => shareRecord(db, actor, s)));
      return { shares: await presentShares(k, actor, records) };
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/files/shares/:id",
    summary: "Change a share's permission or expiry",
    tags: ["files"],
    auth: "user",
    params: idParams,
    body: z.object({ permission: z.enum(shareLevels).optional(), expiresAt: future.optional() }),
    response: shareSchema,
    handler: async ({ actor, params, body }) => {
      const share = await k.policy.authorize(
        actor,
        FilesShareResource,
        "update",
        await loadShare(db, actor, params.id),
      );
      const permission = body.permission ?? share.permission;
      const expiresAt = body.expiresAt === undefined ? share.expires_at : body.expiresAt;
      const rec = await node(actor, share.node_id, "share");
      checkGrant(rec, permission);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("files_shares")
          .set({ permission, expires_at: expiresAt })
          .where("id", "=", share.id)
          .execute();
        await recordEvent(tx, {
          name: "files.share.updated",
          actorId: actor.id,
          resources: { node: share.node_id, space: share.space_id, share: share.id },
          payload: { nodeId: share.node_id, permission, expiresAt },
        });
      });
      const updated = await loadShare(db, actor, share.id);
      return (await presentShares(k, actor, [updated!]))[0]!;
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/files/shares/:id",
    summary: "Revoke a share (its recipient may also leave a share made to them)",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const share = await k.policy.authorize(
        actor,
        FilesShareResource,
        "revoke",
        await loadShare(db, actor, params.id),
      );
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom("files_shares").where("id", "=", share.id).execute();
        await recordEvent(tx, {
          name: "files.share.revoked",
          actorId: actor.id,
          resources: { node: share.node_id, space: share.space_id, share: share.id },
          payload: {
            nodeId: share.node_id,
            recipientKind: share.recipient_user_id ? "user" : "group",
            recipientId: (share.recipient_user_id ?? share.recipient_group_id)!,
          },
        });
      });
    },
  });

  route(app, {
    method: "GET",
    url: "/api/files/shared-with-me",
    summary: "« Partagé avec moi »: what people and groups shared with the signed-in person",
    tags: ["files"],
    auth: "user",
    response: incomingSharesSchema,
    handler: async ({ actor }) => {
      const rows = await db
        .selectFrom("files_shares as s")
        .innerJoin("files_nodes as n", "n.id", "s.node_id")
        .leftJoin("users as u", "u.id", "s.created_by")
        .selectAll("s")
        .select(["u.display_name as sharer_name"])
        .where(k.policy.scope(FilesIncomingShareResource, actor)("s"))
        .where("n.deleted_at", "is", null)
        .orderBy("s.created_at", "desc")
        .limit(500)
        .execute();
      const out: IncomingShare[] = [];
      const seen = new Set<string>();
      for (const s of rows) {
        if (seen.has(s.node_id)) continue;
        seen.add(s.node_id);
        // The node as the policy sees it for them: the strongest of their shares, and whether a folder above is trashed.
        const rec = await loadNodeRecord(db, actor, s.node_id);
        if (!rec || rec.trashed || !(await k.policy.can(actor, FilesNodeResource, "read", rec))) continue;
        out.push({
          id: s.id,
          permission: rec.share?.level ?? s.permission,
          expiresAt: s.expires_at,
          sharedAt: s.created_at,
          sharedBy: s.created_by ? { id: s.created_by, name: s.sharer_name ?? "" } : null,
          node: await presentNode(k, actor, rec),
        });
      }
      return { shares: out };
    },
  });
}
