import type { FastifyInstance } from "fastify";
import { route, type Kernel, type UserActor } from "@ensemble/kernel";
import { sharedByMeSchema } from "../shared/wire.ts";
import { FilesLinkResource, FilesNodeResource, FilesShareResource } from "./resources.ts";
import { linkRecord, presentLinks } from "./links.ts";
import { presentShares, shareRecord } from "./shares.ts";
import { filesDb, type FilesDb } from "./tables.ts";
import { loadNodeRecord } from "./tree.ts";

/** The nodes among these that the actor still reads and that are not in the trash, by id (one record per node). */
async function liveNodes(k: Kernel, db: FilesDb, actor: UserActor, ids: readonly string[]) {
  const out = new Map<string, { id: string; name: string; kind: "file" | "folder" }>();
  for (const id of new Set(ids)) {
    const rec = await loadNodeRecord(db, actor, id);
    if (rec && !rec.trashed && (await k.policy.can(actor, FilesNodeResource, "read", rec)))
      out.set(id, { id, name: rec.name, kind: rec.kind });
  }
  return out;
}

/** « Partagés par moi »: what the signed-in person shared with people and groups, and the links they made. */
export function sharedByMeRoutes(app: FastifyInstance, k: Kernel): void {
  const db = filesDb(k);
  route(app, {
    method: "GET",
    url: "/api/files/shared-by-me",
    summary: "« Partagés par moi »: the shares and public links the signed-in person made (revocable from there)",
    tags: ["files"],
    auth: "user",
    response: sharedByMeSchema,
    handler: async ({ actor }) => {
      // Made by them and still theirs to manage (the scope), newest first.
      const shares = await db
        .selectFrom("files_shares as s")
        .selectAll("s")
        .where("s.created_by", "=", actor.id)
        .where(k.policy.scope(FilesShareResource, actor)("s"))
        .orderBy("s.created_at", "desc")
        .limit(500)
        .execute();
      const links = await db
        .selectFrom("files_links as l")
        .selectAll("l")
        .where("l.created_by", "=", actor.id)
        .where(k.policy.scope(FilesLinkResource, actor)("l"))
        .orderBy("l.created_at", "desc")
        .limit(500)
        .execute();
      const nodes = await liveNodes(
        k,
        db,
        actor,
        [...shares, ...links].map((x) => x.node_id),
      );
      const liveShares = shares.filter((s) => nodes.has(s.node_id));
      const liveLinks = links.filter((l) => nodes.has(l.node_id));
      const presentedShares = await presentShares(
        k,
        actor,
        await Promise.all(liveShares.map((s) => shareRecord(db, actor, s))),
      );
      const presentedLinks = await presentLinks(
        k,
        actor,
        await Promise.all(liveLinks.map((l) => linkRecord(db, actor, l))),
      );
      return {
        shares: presentedShares.map((s) => ({ ...s, node: nodes.get(s.nodeId)! })),
        links: presentedLinks.map((l) => ({ ...l, node: nodes.get(l.nodeId)! })),
      };
    },
  });
}
