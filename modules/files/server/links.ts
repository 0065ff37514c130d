import { AppError, sha256, signValue, verifySignature, type Kernel, type UserActor } from "@ensemble/kernel";
import type { FileLink } from "../shared/wire.ts";
import { FilesLinkResource, type LinkRecord, type PublicLinkRecord } from "./resources.ts";
import { manages } from "./spaces.ts";
import type { FilesDb, FilesLinksTable } from "./tables.ts";
import { ancestorsOf, getNode, type Node } from "./tree.ts";

/** How long a password, once given, opens its link (the page's downloads carry the proof). */
const ACCESS_MS = 60 * 60 * 1000;
const PURPOSE = "files.link-access";

export async function linkRecord(db: FilesDb, actor: UserActor, l: FilesLinksTable): Promise<LinkRecord> {
  return {
    ...l,
    downloads: Number(l.downloads),
    viewer: { manages: await manages(db, actor, l.created_by, l.space_id) },
  };
}

export async function presentLinks(k: Kernel, actor: UserActor, links: readonly LinkRecord[]): Promise<FileLink[]> {
  return Promise.all(
    links.map(async (l) => ({
      id: l.id,
      nodeId: l.node_id,
      kind: l.kind,
      hasPassword: l.password_hash !== null,
      expiresAt: l.expires_at,
      downloads: Number(l.downloads),
      createdAt: l.created_at,
      actions: await k.policy.allowedActions(actor, FilesLinkResource, l),
    })),
  );
}

/** A proof that the link's password was given, valid for an hour: `<expiry ms>.<signature>`. */
export async function grantAccess(k: Kernel, link: FilesLinksTable): Promise<string> {
  const until = String(Date.now() + ACCESS_MS);
  return `${until}.${signValue(await k.secrets.key("files.link_key"), PURPOSE, `${link.id}.${until}`)}`;
}

async function accessHolds(k: Kernel, link: FilesLinksTable, access: string | undefined): Promise<boolean> {
  const m = access ? /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(access) : null;
  if (!m || Number(m[1]) < Date.now()) return false;
  return verifySignature(await k.secrets.key("files.link_key"), PURPOSE, `${link.id}.${m[1]}`, m[2]!);
}

/** The link a token names, as its holder reaches it; undefined for no such live token (404). */
export async function publicLink(
  k: Kernel,
  db: FilesDb,
  token: string,
  access: string | undefined,
): Promise<PublicLinkRecord | undefined> {
  const l = await db.selectFrom("files_links").selectAll().where("token_hash", "=", sha256(token)).executeTakeFirst();
  if (!l) return undefined;
  return {
    ...l,
    downloads: Number(l.downloads),
    expired: l.expires_at !== null && l.expires_at <= new Date().toISOString(),
    unlocked: l.password_hash === null || (await accessHolds(k, l, access)),
  };
}

/**
 * A node the link reaches: the linked node itself or, for a folder, something live below it.
 * Anything else — another space, a trashed node — is unseen (404).
 */
export async function nodeUnderLink(db: FilesDb, link: FilesLinksTable, nodeId: string | undefined): Promise<Node> {
  const node = await getNode(db, nodeId ?? link.node_id);
  if (!node || node.space_id !== link.space_id) throw new AppError("not_found", "no such file here");
  const chain = await ancestorsOf(db, node.id);
  const at = chain.findIndex((n) => n.id === link.node_id);
  // Trashed anywhere above counts too: a link to something in the trash opens nothing.
  if (at === -1 || chain.some((n) => n.deleted_at !== null)) throw new AppError("not_found", "no such file here");
  return node;
}

export const publicEntry = (n: Node) => ({
  id: n.id,
  name: n.name,
  kind: n.kind,
  size: Number(n.size),
  mimeType: n.mime_type,
  modifiedAt: n.mtime,
});
