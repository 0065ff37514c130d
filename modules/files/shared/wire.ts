import { z } from "zod";
import { filesLinkActions, filesNodeActions, filesShareActions } from "./resources.ts";
import { shareLevels } from "./share-levels.ts";

/** A file or folder as the web API presents it. */
export const nodeSchema = z.object({
  id: z.string(),
  spaceId: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  kind: z.enum(["file", "folder"]),
  size: z.number(),
  mimeType: z.string().nullable(),
  etag: z.string(),
  sha256: z.string().nullable(),
  modifiedAt: z.string(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
  /** What the viewer may do with it (the web never re-derives a rule). */
  actions: z.array(z.enum(filesNodeActions)),
});
export type FileNode = z.output<typeof nodeSchema>;

export const spaceSchema = z.object({
  id: z.string(),
  kind: z.enum(["user", "group"]),
  name: z.string(),
  rootId: z.string(),
  groupId: z.string().nullable(),
  quotaBytes: z.number(),
  usedBytes: z.number(),
});
export type FileSpace = z.output<typeof spaceSchema>;

/** A folder's listing: the folder, its path from the space root (breadcrumbs) and its children. */
export const folderListingSchema = z.object({
  /** The space around it; null for one who reaches it through a share (the owner's space is not theirs to see). */
  space: spaceSchema.nullable(),
  folder: nodeSchema,
  path: z.array(z.object({ id: z.string(), name: z.string() })),
  children: z.array(nodeSchema),
});
export type FolderListing = z.output<typeof folderListingSchema>;

export const spacesSchema = z.object({ spaces: z.array(spaceSchema) });
export const trashSchema = z.object({ items: z.array(nodeSchema) });
export const versionsSchema = z.object({
  versions: z.array(
    z.object({ id: z.string(), size: z.number(), sha256: z.string(), modifiedAt: z.string(), createdAt: z.string() }),
  ),
});

/** Who a share is for: a person or a kernel group (every member, present and future). */
export const shareRecipientSchema = z.object({
  kind: z.enum(["user", "group"]),
  id: z.string(),
  name: z.string(),
});

/** A share as those who manage it see it (the share dialog). */
export const shareSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  recipient: shareRecipientSchema,
  permission: z.enum(shareLevels),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  actions: z.array(z.enum(filesShareActions)),
});
export type FileShare = z.output<typeof shareSchema>;
export const sharesSchema = z.object({ shares: z.array(shareSchema) });

/** A share as its recipient sees it: the node, who shared it, and what it allows. */
export const incomingShareSchema = z.object({
  id: z.string(),
  permission: z.enum(shareLevels),
  expiresAt: z.string().nullable(),
  sharedAt: z.string(),
  sharedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  node: nodeSchema,
});
export type IncomingShare = z.output<typeof incomingShareSchema>;
export const incomingSharesSchema = z.object({ shares: z.array(incomingShareSchema) });

/** A public link as those who manage it see it (its token is shown once, at creation). */
export const linkSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  kind: z.enum(["read", "upload"]),
  hasPassword: z.boolean(),
  expiresAt: z.string().nullable(),
  downloads: z.number(),
  createdAt: z.string(),
  actions: z.array(z.enum(filesLinkActions)),
});
export type FileLink = z.output<typeof linkSchema>;
export const createdLinkSchema = linkSchema.extend({ token: z.string(), path: z.string() });
export type CreatedLink = z.output<typeof createdLinkSchema>;
export const linksSchema = z.object({ links: z.array(linkSchema) });

/** The node a share or link is on, as « Partagés par moi » names it. */
const sharedNodeSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(["file", "folder"]) });
/** « Partagés par moi »: the shares and public links the signed-in person made, each with its node. */
export const sharedByMeSchema = z.object({
  shares: z.array(shareSchema.extend({ node: sharedNodeSchema })),
  links: z.array(linkSchema.extend({ node: sharedNodeSchema })),
});
export type SharedByMe = z.output<typeof sharedByMeSchema>;

/** What a public link shows to whoever holds it: names and sizes, no ids of the space around it. */
const publicEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["file", "folder"]),
  size: z.number(),
  mimeType: z.string().nullable(),
  modifiedAt: z.string(),
});
export const publicLinkSchema = z.object({
  kind: z.enum(["read", "upload"]),
  expiresAt: z.string().nullable(),
  node: publicEntrySchema,
  /** A read link to a folder lists what it holds; a drop box lists nothing. */
  children: z.array(publicEntrySchema),
});
export type PublicLink = z.output<typeof publicLinkSchema>;
export const linkAccessSchema = z.object({ access: z.string() });

/** Event payloads (checked by the kernel outside production). */
export const filesEventSchemas = {
  "files.node.created": z.object({
    spaceId: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    kind: z.string(),
  }),
  "files.node.updated": z.object({ spaceId: z.string(), size: z.number(), sha256: z.string() }),
  "files.node.moved": z.object({ spaceId: z.string(), parentId: z.string().nullable(), name: z.string() }),
  "files.node.trashed": z.object({ spaceId: z.string(), name: z.string() }),
  "files.node.restored": z.object({ spaceId: z.string(), name: z.string() }),
  "files.node.purged": z.object({ spaceId: z.string(), name: z.string() }),
  "files.space.created": z.object({ kind: z.string(), name: z.string(), groupId: z.string().nullable() }),
  "files.share.created": z.object({
    nodeId: z.string(),
    recipientKind: z.string(),
    recipientId: z.string(),
    permission: z.string(),
  }),
  "files.share.updated": z.object({ nodeId: z.string(), permission: z.string(), expiresAt: z.string().nullable() }),
  "files.share.revoked": z.object({ nodeId: z.string(), recipientKind: z.string(), recipientId: z.string() }),
  "files.link.created": z.object({ nodeId: z.string(), kind: z.string(), hasPassword: z.boolean() }),
  "files.link.revoked": z.object({ nodeId: z.string() }),
  "files.link.downloaded": z.object({ linkId: z.string(), nodeId: z.string() }),
} as const;
