import type { Kysely } from "kysely";
import type { Kernel, KernelTables } from "@ensemble/kernel";
import type { ShareLevel } from "../shared/share-levels.ts";

/** A personal space (« Mes fichiers ») or a group folder: a tree of nodes with a quota. */
export interface FilesSpacesTable {
  id: string;
  kind: "user" | "group";
  /** Owner of a personal space (one per user). */
  user_id: string | null;
  /** Kernel group owning a group folder (one folder per group). */
  group_id: string | null;
  name: string;
  root_id: string;
  /** Null: the organisation's default quota. */
  quota_bytes: number | null;
  /** Current contents of files, trash included (versions are not counted). */
  used_bytes: number;
  created_at: string;
}

export interface FilesNodesTable {
  id: string;
  space_id: string;
  /** Null only for a space's root folder. */
  parent_id: string | null;
  name: string;
  kind: "file" | "folder";
  content_id: string | null;
  size: number;
  mime_type: string | null;
  /** Changes with the content (files) or with anything below (folders): what sync clients compare. */
  etag: string;
  /** The modification time clients set (X-OC-Mtime) or the last write. */
  mtime: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Set on the node that was deleted (its descendants go with it, unmarked). */
  deleted_at: string | null;
  deleted_by: string | null;
}

/** Stored bytes, shared by nodes and versions (COPY shares them); the blob is released when `refs` reaches 0. */
export interface FilesContentsTable {
  id: string;
  sha256: string;
  sha1: string;
  md5: string;
  size: number;
  refs: number;
  created_at: string;
}

export interface FilesVersionsTable {
  id: string;
  node_id: string;
  content_id: string;
  size: number;
  mtime: string;
  created_by: string | null;
  created_at: string;
}

/** WebDAV dead properties: the value is the property element's children serialised as XML. */
export interface FilesPropsTable {
  node_id: string;
  ns: string;
  name: string;
  value: string;
}

/** WebDAV locks, by path within a space so a lock may cover a name that does not exist yet. */
export interface FilesLocksTable {
  token: string;
  space_id: string;
  path: string;
  depth: "0" | "infinity";
  scope: "exclusive" | "shared";
  owner_xml: string;
  user_id: string;
  timeout_s: number;
  expires_at: string;
  created_at: string;
}

/** A node shared with a person or a kernel group; what lies below a shared folder goes with it. */
export interface FilesSharesTable {
  id: string;
  node_id: string;
  /** The node's space (moves stay within a space): what its people manage. */
  space_id: string;
  /** Exactly one recipient: a user or a group. */
  recipient_user_id: string | null;
  recipient_group_id: string | null;
  permission: ShareLevel;
  /** Null: until revoked. An expired share grants nothing and leaves the recipient's lists. */
  expires_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** A public link to a node: whoever holds its token reads it (or, « dépôt », drops files into a folder). */
export interface FilesLinksTable {
  id: string;
  node_id: string;
  space_id: string;
  /** SHA-256 of the token: the token itself is shown once, at creation, and never stored or logged. */
  token_hash: string;
  kind: "read" | "upload";
  /** Argon2id, or null for a link without a password. */
  password_hash: string | null;
  expires_at: string | null;
  downloads: number;
  created_by: string | null;
  created_at: string;
}

export type FilesTables = {
  files_spaces: FilesSpacesTable;
  files_nodes: FilesNodesTable;
  files_contents: FilesContentsTable;
  files_versions: FilesVersionsTable;
  files_props: FilesPropsTable;
  files_locks: FilesLocksTable;
  files_shares: FilesSharesTable;
  files_links: FilesLinksTable;
};

export type FilesDb = Kysely<KernelTables & FilesTables>;
export const filesDb = (k: Kernel): FilesDb => k.db.withTables<FilesTables>();
