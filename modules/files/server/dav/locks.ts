import { AppError } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import type { FilesDb, FilesLocksTable } from "../tables.ts";
import { escapeXml } from "./xml.ts";

export type Lock = FilesLocksTable;

/** Timeouts clients may ask for: a week at most, an hour when they do not say. */
const MAX_TIMEOUT_S = 7 * 86_400;
const DEFAULT_TIMEOUT_S = 3_600;

export function parseTimeout(header: string | undefined): number {
  if (!header) return DEFAULT_TIMEOUT_S;
  for (const part of header.split(",")) {
    const t = part.trim();
    if (/^infinite$/i.test(t)) return MAX_TIMEOUT_S;
    const m = /^Second-(\d{1,10})$/i.exec(t);
    if (m) return Math.max(1, Math.min(MAX_TIMEOUT_S, Number(m[1])));
  }
  return DEFAULT_TIMEOUT_S;
}

/** The unexpired locks of a space (expired ones are removed on the way). */
export async function activeLocks(db: FilesDb, spaceId: string): Promise<Lock[]> {
  const now = new Date().toISOString();
  await db.deleteFrom("files_locks").where("space_id", "=", spaceId).where("expires_at", "<=", now).execute();
  const rows = await db.selectFrom("files_locks").selectAll().where("space_id", "=", spaceId).execute();
  return rows.map((l) => ({ ...l, timeout_s: Number(l.timeout_s) }));
}

const under = (path: string, ancestor: string) => ancestor === "" || path.startsWith(`${ancestor}/`);

/** Locks that cover a path: on it, or on a folder above it with depth infinity. */
export const covering = (locks: readonly Lock[], path: string): Lock[] =>
  locks.filter((l) => l.path === path || (l.depth === "infinity" && path !== l.path && under(path, l.path)));

/** Locks on what lies below a path (a folder being deleted or moved takes them along). */
export const below = (locks: readonly Lock[], path: string): Lock[] =>
  locks.filter((l) => l.path !== path && under(l.path, path));

export const parentPath = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

/**
 * A write to `path` needs every lock that covers it (and, for a change of membership, the lock of
 * its folder; for a folder's deletion or move, the locks below it) submitted by their owner.
 */
export function requireUnlocked(
  locks: readonly Lock[],
  path: string,
  userId: string,
  submitted: ReadonlySet<string>,
  opts: { membership?: boolean; subtree?: boolean } = {},
): void {
  const need = [...covering(locks, path)];
  if (opts.membership && path !== "") need.push(...locks.filter((l) => l.path === parentPath(path)));
  if (opts.subtree) need.push(...below(locks, path));
  for (const l of need)
    if (!submitted.has(l.token) || l.user_id !== userId)
      throw new AppError("files_locked", "this resource is locked; send its lock token in an If header");
}

/** Whether a new lock conflicts: an exclusive lock meets any other, shared locks coexist. */
export function conflicts(locks: readonly Lock[], path: string, scope: Lock["scope"], depth: Lock["depth"]): boolean {
  const others = [...covering(locks, path), ...(depth === "infinity" ? below(locks, path) : [])];
  return others.some((l) => scope === "exclusive" || l.scope === "exclusive");
}

export async function createLock(db: FilesDb, a: Omit<Lock, "token" | "expires_at" | "created_at">): Promise<Lock> {
  const now = Date.now();
  const lock: Lock = {
    ...a,
    token: `urn:uuid:${uuidv7()}`,
    expires_at: new Date(now + a.timeout_s * 1000).toISOString(),
    created_at: new Date(now).toISOString(),
  };
  await db.insertInto("files_locks").values(lock).execute();
  return lock;
}

export async function refreshLock(db: FilesDb, lock: Lock, timeoutS: number): Promise<Lock> {
  const expires = new Date(Date.now() + timeoutS * 1000).toISOString();
  await db
    .updateTable("files_locks")
    .set({ timeout_s: timeoutS, expires_at: expires })
    .where("token", "=", lock.token)
    .execute();
  return { ...lock, timeout_s: timeoutS, expires_at: expires };
}

/** Locks end with what they lock: a deleted or moved path releases them, and those below it. */
export async function dropLocks(db: FilesDb, spaceId: string, path: string): Promise<void> {
  const locks = await db.selectFrom("files_locks").select(["token", "path"]).where("space_id", "=", spaceId).execute();
  const gone = locks.filter((l) => l.path === path || under(l.path, path)).map((l) => l.token);
  if (gone.length) await db.deleteFrom("files_locks").where("token", "in", gone).execute();
}

export function activeLockXml(l: Lock, href: string): string {
  const left = Math.max(0, Math.round((Date.parse(l.expires_at) - Date.now()) / 1000));
  return (
    `<d:activelock><d:locktype><d:write/></d:locktype><d:lockscope><d:${l.scope}/></d:lockscope>` +
    `<d:depth>${l.depth === "infinity" ? "infinity" : "0"}</d:depth>` +
    (l.owner_xml ? `<d:owner>${l.owner_xml}</d:owner>` : "") +
    `<d:timeout>Second-${left}</d:timeout><d:locktoken><d:href>${escapeXml(l.token)}</d:href></d:locktoken>` +
    `<d:lockroot><d:href>${escapeXml(href)}</d:href></d:lockroot></d:activelock>`
  );
}

export const SUPPORTED_LOCK =
  "<d:lockentry><d:lockscope><d:exclusive/></d:lockscope><d:locktype><d:write/></d:locktype></d:lockentry>" +
  "<d:lockentry><d:lockscope><d:shared/></d:lockscope><d:locktype><d:write/></d:locktype></d:lockentry>";
