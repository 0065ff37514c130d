import { AppError } from "@ensemble/kernel";
import { commitFile } from "../commands.ts";
import { storeContent } from "../contents.ts";
import { authorizeDav, checkWrite, header, hrefOf, ifLists, target, xmlBody, type Dav } from "./context.ts";
import { isProtected } from "./props.ts";
import { activeLocks, activeLockXml, conflicts, covering, createLock, parseTimeout, refreshLock } from "./locks.ts";
import { submittedTokens } from "./if-header.ts";
import {
  child,
  DAV,
  elements,
  escapeXml,
  innerXml,
  is,
  MULTISTATUS_CLOSE,
  MULTISTATUS_OPEN,
  propElement,
  statusLine,
  textOf,
  type PropName,
} from "./xml.ts";
import { Readable } from "node:stream";

interface PatchOp {
  set: boolean;
  prop: PropName;
  value: string;
  raw: ReturnType<typeof elements>[number];
}

/** PROPPATCH: dead properties set and removed in order, all or nothing (RFC 4918 §9.2). */
export async function proppatch(d: Dav): Promise<void> {
  const body = await xmlBody(d.req);
  if (!body || !is(body, DAV, "propertyupdate"))
    throw new AppError("validation", "the body must be a DAV:propertyupdate");
  const { node } = await target(d);
  if (!node) throw new AppError("not_found", "no such file or folder");
  await authorizeDav(d, node, "write");
  await checkWrite(d, [{ path: d.path }], node);
  const ops: PatchOp[] = [];
  for (const action of elements(body)) {
    const set = is(action, DAV, "set");
    if (!set && !is(action, DAV, "remove")) throw new AppError("validation", "propertyupdate holds set and remove");
    const prop = child(action, DAV, "prop");
    if (!prop) throw new AppError("validation", "set and remove hold a prop");
    for (const p of elements(prop))
      ops.push({ set, prop: { ns: p.namespaceURI ?? "", name: p.localName ?? "" }, value: innerXml(p), raw: p });
  }
  // DAV:lastmodified is how Nextcloud clients set a time without uploading again.
  const mtimeOp = (o: PatchOp) => o.set && o.prop.ns === DAV && o.prop.name === "lastmodified";
  const refused = ops.filter((o) => isProtected(o.prop) && !mtimeOp(o));
  if (refused.length === 0) {
    await d.db.transaction().execute(async (tx) => {
      for (const o of ops) {
        if (mtimeOp(o)) {
          const secs = Number(textOf(o.raw).trim());
          const t = Number.isFinite(secs) ? new Date(secs * 1000) : new Date(textOf(o.raw));
          if (Number.isNaN(t.getTime()))
            throw new AppError("validation", "lastmodified is a Unix time or an HTTP date");
          await tx.updateTable("files_nodes").set({ mtime: t.toISOString() }).where("id", "=", node.id).execute();
          continue;
        }
        await tx
          .deleteFrom("files_props")
          .where("node_id", "=", node.id)
          .where("ns", "=", o.prop.ns)
          .where("name", "=", o.prop.name)
          .execute();
        if (o.set)
          await tx
            .insertInto("files_props")
            .values({ node_id: node.id, ...o.prop, value: o.value })
            .execute();
      }
    });
  }
  const group = (list: PatchOp[], code: number) =>
    list.length
      ? `<d:propstat><d:prop>${list.map((o) => propElement(o.prop, null)).join("")}</d:prop><d:status>${statusLine(code)}</d:status></d:propstat>`
      : "";
  const stat = refused.length
    ? group(refused, 403) +
      group(
        ops.filter((o) => !refused.includes(o)),
        424,
      )
    : group(ops, 200);
  const href = hrefOf(d.base, d.names, node.kind === "folder");
  void d.reply
    .code(207)
    .header("content-type", "application/xml; charset=utf-8")
    .send(`${MULTISTATUS_OPEN}<d:response><d:href>${escapeXml(href)}</d:href>${stat}</d:response>${MULTISTATUS_CLOSE}`);
}

function lockAnswer(d: Dav, xml: string, code: number, token: string): void {
  void d.reply
    .code(code)
    .header("lock-token", `<${token}>`)
    .header("content-type", "application/xml; charset=utf-8")
    .send(
      `<?xml version="1.0" encoding="utf-8"?>\n<d:prop xmlns:d="DAV:"><d:lockdiscovery>${xml}</d:lockdiscovery></d:prop>`,
    );
}

/** LOCK: a new exclusive or shared write lock (an unmapped URL becomes an empty file), or a refresh. */
export async function lock(d: Dav): Promise<void> {
  const timeout = parseTimeout(header(d, "timeout"));
  const body = await xmlBody(d.req);
  const { node, parent } = await target(d);
  const href = hrefOf(d.base, d.names, node?.kind === "folder");
  if (!body) {
    const submitted = submittedTokens(ifLists(d));
    const mine = covering(await activeLocks(d.db, d.space.id), d.path).find(
      (l) => submitted.has(l.token) && l.user_id === d.actor.id,
    );
    if (!mine)
      throw new AppError("files_precondition_failed", "a refresh names a lock of this resource in its If header");
    const l = await refreshLock(d.db, mine, timeout);
    lockAnswer(
      d,
      activeLockXml(
        l,
        hrefOf(
          d.base,
          l.path ? l.path.split("/").slice(d.prefix.length) : [],
          l.path !== d.path || node?.kind === "folder",
        ),
      ),
      200,
      l.token,
    );
    return;
  }
  if (!is(body, DAV, "lockinfo")) throw new AppError("validation", "the body must be a DAV:lockinfo");
  const scopeEl = child(body, DAV, "lockscope");
  const scope =
    scopeEl && child(scopeEl, DAV, "shared")
      ? "shared"
      : scopeEl && child(scopeEl, DAV, "exclusive")
        ? "exclusive"
        : null;
  if (!scope || !child(body, DAV, "locktype")) throw new AppError("validation", "a lock has a scope and a type");
  const depthH = (header(d, "depth") ?? "infinity").toLowerCase();
  if (depthH !== "0" && depthH !== "infinity") throw new AppError("validation", "a lock's Depth is 0 or infinity");
  const ownerEl = child(body, DAV, "owner");
  if (!node && !parent) throw new AppError("files_parent_missing", "the folder of this resource does not exist");
  await authorizeDav(d, (node ?? parent)!, "write");
  const locks = await checkWrite(d, [{ path: d.path, membership: !node }], node).catch(async (e: unknown) => {
    // A conflicting lock answers 423 below; other refusals stand.
    if (e instanceof AppError && e.code === "files_locked") return activeLocks(d.db, d.space.id);
    throw e;
  });
  const depth = node?.kind === "folder" ? (depthH as "0" | "infinity") : "0";
  if (conflicts(locks, d.path, scope, depth))
    throw new AppError("files_locked", "a conflicting lock is held on this resource");
  let created = false;
  if (!node && parent) {
    const content = await storeContent(d.k, Readable.from([]), 0);
    await d.db.transaction().execute((tx) =>
      commitFile(d.k, tx, {
        actorId: d.actor.id,
        parent,
        name: d.names.at(-1)!,
        existing: undefined,
        content,
        mtime: new Date().toISOString(),
        mimeType: "application/octet-stream",
      }),
    );
    created = true;
  }
  const l = await createLock(d.db, {
    space_id: d.space.id,
    path: d.path,
    depth,
    scope,
    owner_xml: ownerEl ? innerXml(ownerEl) : "",
    user_id: d.actor.id,
    timeout_s: timeout,
  });
  lockAnswer(d, activeLockXml(l, href), created ? 201 : 200, l.token);
}

export async function unlock(d: Dav): Promise<void> {
  const h = header(d, "lock-token");
  const token = h ? /^<([^>]+)>$/.exec(h.trim())?.[1] : undefined;
  if (!token) throw new AppError("validation", "UNLOCK needs a Lock-Token header");
  const l = covering(await activeLocks(d.db, d.space.id), d.path).find((x) => x.token === token);
  if (!l) throw new AppError("conflict", "this lock token does not lock this resource");
  if (l.user_id !== d.actor.id) throw new AppError("forbidden", "this lock belongs to someone else");
  await d.db.deleteFrom("files_locks").where("token", "=", token).execute();
  void d.reply.code(204).send();
}
