/**
 * The files resource kinds and their actions: the vocabulary of the policy
 * (the server wraps them with the kernel's `resourceKind`).
 */
export const filesNodeActions = ["read", "write", "delete", "restore", "purge", "share"] as const;
export type FilesNodeAction = (typeof filesNodeActions)[number];

export const filesSpaceActions = ["read", "write", "administer"] as const;
export type FilesSpaceAction = (typeof filesSpaceActions)[number];

/** A share as those who manage it see it (its creator, the people of its space): read, change, revoke. */
export const filesShareActions = ["read", "update", "revoke"] as const;
export type FilesShareAction = (typeof filesShareActions)[number];

/** A public link as those who manage it see it. */
export const filesLinkActions = ["read", "revoke"] as const;
/** A public link as whoever holds its token sees it: it exists (read), and what it lets them do. */
export const filesPublicLinkActions = ["read", "download", "upload"] as const;

/** A resumable (tus) upload: only the person who started it sees it, resumes it or cancels it. */
export const filesUploadActions = ["read", "write"] as const;

export const FilesResourceTypes = {
  node: "files_node",
  space: "files_space",
  share: "files_share",
  /** A share as its recipient sees it (« Partagé avec moi »). */
  incomingShare: "files_incoming_share",
  link: "files_link",
  publicLink: "files_public_link",
  upload: "files_upload",
} as const;

/** Longest file or folder name, in UTF-8 bytes (what common file systems accept). */
export const MAX_NAME_BYTES = 255;
/** Deepest folder nesting accepted, so a path never grows without bound. */
export const MAX_DEPTH = 64;

/**
 * What another service may rely on in a file's policy record (`policy.load`
 * of `files_node`): co-editing checks that the node is a document file.
 */
export interface FilesNodeSummary {
  id: string;
  kind: string;
  name: string;
  trashed: boolean;
}
