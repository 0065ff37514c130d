import type { FastifyReply, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import { AppError, type Kernel, type UserActor } from "@ensemble/kernel";
import type { FilesDb } from "../tables.ts";
import { FilesNodeResource, type ShareAccess, type SpaceRecord } from "../resources.ts";
import type { FilesNodeAction } from "../../shared/resources.ts";
import { canWithShare } from "../../shared/share-levels.ts";
import { encodePath, parsePath } from "../names.ts";
import { getNode, resolveFrom, type Node } from "../tree.ts";
import { activeLocks, covering, requireUnlocked, type Lock } from "./locks.ts";
import { evaluateIf, parseIfHeader, submittedTokens, type IfList } from "./if-header.ts";
import { MAX_XML_BYTES, parseXml } from "./xml.ts";
import type { Element } from "@xmldom/xmldom";

/** One WebDAV request, resolved: who, in which space, at which path. */
export interface Dav {
  k: Kernel;
  db: FilesDb;
  actor: UserActor;
  space: SpaceRecord;
  /**
   * The URL of the folder names are resolved from, without a trailing slash: the tree's root
   * (`/remote.php/dav/files/alice`), or a mount in it (`…/alice/Urbanisme`).
   */
  base: string;
  /** That folder: the root of « Mes fichiers », of a group folder, or a node shared with them. */
  root: string;
  /** The names from the space's root down to `root` (empty but for a share). */
  prefix: readonly string[];
  /** How they reach a shared mount (null: they reach the whole space). */
  share: ShareAccess | null;
  /** The names below `base`. */
  names: string[];
  /** The names from the space's root joined by "/": what locks are keyed by ("" for the root). */
  path: string;
  req: FastifyRequest;
  reply: FastifyReply;
}

export const hrefOf = (base: string, names: readonly string[], folder: boolean): string =>
  `${base}/${encodePath(names)}${folder && names.length ? "/" : ""}`;

export async function target(d: Dav): Promise<{ node: Node | undefined; parent: Node | null }> {
  const r = await resolveFrom(d.db, d.root, d.names);
  // A file shared on its own is a mount's root: its folder (unseen) is still what a new content is committed in.
  if (d.names.length === 0 && r.node?.parent_id)
    return { node: r.node, parent: (await getNode(d.db, r.node.parent_id)) ?? null };
  return r;
}

export function header(d: Dav, name: string): string | undefined {
  const v = d.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export const hasBody = (req: FastifyRequest): boolean =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;

/** Reads a small XML body (null when there is none); larger than 1 MiB is a 413. */
export async function xmlBody(req: FastifyRequest): Promise<Element | null> {
  if (!hasBody(req)) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw as Readable as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_XML_BYTES) throw new AppError("payload_too_large", "XML bodies are at most 1 MiB");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() === "" ? null : parseXml(text);
}

/** The If header of the request, parsed (empty when absent). */
export function ifLists(d: Dav): IfList[] {
  const h = header(d, "if");
  return h ? parseIfHeader(h) : [];
}

/** Names of a URL's path when it lies in this request's tree; null otherwise. */
export function namesInTree(d: Dav, url: string): string[] | null {
  // URL parsing would resolve dot segments (also percent-encoded ones): refused before, never resolved.
  const rawPath = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").split(/[?#]/)[0]!;
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rawPath))
    throw new AppError("files_path_invalid", "a destination cannot hold . or .. segments", { status: 403 });
  let pathname: string;
  try {
    pathname = new URL(url, "http://x").pathname;
  } catch {
    return null;
  }
  if (pathname !== d.base && !pathname.startsWith(`${d.base}/`)) return null;
  return parsePath(pathname.slice(d.base.length + 1));
}

/**
 * The write preconditions of WebDAV: every lock covering what changes must be submitted by its
 * owner (423 otherwise), then the If header must hold (412 otherwise).
 */
export async function checkWrite(
  d: Dav,
  writes: { path: string; membership?: boolean; subtree?: boolean }[],
  node: Node | undefined,
): Promise<Lock[]> {
  const locks = await activeLocks(d.db, d.space.id);
  const lists = ifLists(d);
  const submitted = submittedTokens(lists);
  if (lists.length) await checkIf(d, lists, locks, node);
  for (const w of writes) requireUnlocked(locks, w.path, d.actor.id, submitted, w);
  return locks;
}

export async function checkIf(d: Dav, lists: IfList[], locks: readonly Lock[], node: Node | undefined): Promise<void> {
  const holds = await evaluateIf(lists, async (tag) => {
    if (tag === null) return { etag: node ? `"${node.etag}"` : null, tokens: tokensAt(locks, d.path) };
    let names: string[] | null;
    try {
      names = namesInTree(d, tag);
    } catch {
      names = null;
    }
    if (!names) return null;
    const r = await resolveFrom(d.db, d.root, names);
    return { etag: r.node ? `"${r.node.etag}"` : null, tokens: tokensAt(locks, spacePath(d, names)) };
  });
  if (!holds) throw new AppError("files_precondition_failed", "the If header's conditions do not hold");
}

const tokensAt = (locks: readonly Lock[], path: string) => new Set(covering(locks, path).map((l) => l.token));

/** Unix seconds from X-OC-Mtime (what Nextcloud clients send to keep a file's time), or null. */
export function clientMtime(d: Dav): string | null {
  const h = header(d, "x-oc-mtime");
  if (!h || !/^\d{1,12}(\.\d+)?$/.test(h)) return null;
  return new Date(Math.floor(Number(h)) * 1000).toISOString();
}

/** Names below `base` as a path from the space's root (what locks are keyed by). */
export const spacePath = (d: Pick<Dav, "prefix">, names: readonly string[]): string =>
  [...d.prefix, ...names].join("/");

/** A node of this request's view as the policy sees it: the mount's space and share, live (the trash is unseen). */
const recordOf = (d: Pick<Dav, "space" | "share" | "root">, n: Node) => ({
  ...n,
  space: d.space,
  trashed: false,
  // Below the shared node the share reaches from above; the shared node itself only from its own share.
  share: d.share && { ...d.share, above: n.id === d.root ? d.share.above : d.share.level },
});

/** Refuses (403) what the policy does not allow on this node: a read-only share takes no PUT, DELETE, MOVE… */
export async function authorizeDav(d: Dav, n: Node, action: FilesNodeAction): Promise<void> {
  await d.k.policy.authorize(d.actor, FilesNodeResource, action, recordOf(d, n));
}

/**
 * Nextcloud's permission letters for a node of this view, from the share's capabilities: S shared
 * with me, R reshare, G read, D delete, N rename, V move, W write (files), C create file, K create
 * folder; M for a group folder's content.
 */
export function permissionsFor(d: Pick<Dav, "space" | "share" | "root">): (n: Node) => string {
  return (n) => {
    const write = n.kind === "file" ? "W" : "CK";
    if (!d.share) return `${d.space.kind === "group" ? "M" : ""}RGDNV${write}`;
    const above = n.id === d.root ? d.share.above : d.share.level;
    return [
      "S",
      canWithShare(d.share.level, "reshare") ? "R" : "",
      "G",
      canWithShare(above, "delete") ? "DNV" : "",
      canWithShare(d.share.level, "write") ? write : "",
    ].join("");
  };
}
