import { orgResource, resourceKind } from "@ensemble/kernel";
import {
  FilesResourceTypes,
  filesLinkActions,
  filesNodeActions,
  filesPublicLinkActions,
  filesShareActions,
  filesSpaceActions,
  filesUploadActions,
} from "../shared/resources.ts";
import type { ShareLevel } from "../shared/share-levels.ts";
import type { FilesTusUploadsTable } from "./tus/upload-tables.ts";
import type { FilesLinksTable, FilesNodesTable, FilesSharesTable, FilesSpacesTable } from "./tables.ts";

/** How the viewer reaches a space: its owner, a member of the owning group, or not at all. */
export type SpaceAccess = "owner" | "member" | null;

/** A space as the policy sees it: the row plus the viewer's access, read with it. */
export type SpaceRecord = FilesSpacesTable & { access: SpaceAccess };

/**
 * How the viewer reaches a node through shares when they do not reach its space: the strongest
 * level of the live shares on it or on a folder above (`level`), the strongest on a folder strictly
 * above (`above`: what lets them delete or move it), and the top-most shared node (`rootId`: where
 * their view of the tree starts).
 */
export interface ShareAccess {
  level: ShareLevel;
  above: ShareLevel | null;
  rootId: string;
}

/** A node as the policy sees it: the row, its space, whether it or a folder above is in the trash, and shares. */
export type NodeRecord = FilesNodesTable & { space: SpaceRecord; trashed: boolean; share: ShareAccess | null };

/** A share with the viewer's relation to it, read with it. */
export type ShareRecord = FilesSharesTable & {
  viewer: {
    /** The share is for them (directly, or through a group they are in) and has not expired. */
    recipient: boolean;
    /** They created it, or they reach the node's space: they may change or revoke it. */
    manages: boolean;
  };
};

/** A public link with the viewer's relation to it (they manage it: its creator or the people of its space). */
export type LinkRecord = FilesLinksTable & { viewer: { manages: boolean } };

/** A public link as its holder reaches it: whether it has expired, and whether its password was given. */
export type PublicLinkRecord = FilesLinksTable & { expired: boolean; unlocked: boolean };

export const FilesSpaceResource = resourceKind<SpaceRecord>()(FilesResourceTypes.space, filesSpaceActions);
export const FilesNodeResource = resourceKind<NodeRecord>()(FilesResourceTypes.node, filesNodeActions);
export const FilesShareResource = resourceKind<ShareRecord>()(FilesResourceTypes.share, filesShareActions);
export const FilesIncomingShareResource = resourceKind<ShareRecord>()(FilesResourceTypes.incomingShare, [
  "read",
] as const);

export const FilesLinkResource = resourceKind<LinkRecord>()(FilesResourceTypes.link, filesLinkActions);
export const FilesPublicLinkResource = resourceKind<PublicLinkRecord>()(
  FilesResourceTypes.publicLink,
  filesPublicLinkActions,
);

export const FilesUploadResource = resourceKind<FilesTusUploadsTable>()(FilesResourceTypes.upload, filesUploadActions);

/** Files in the organisation: creating group folders is an administrator's act (`files.create_group_folder`). */
export const FilesOrgResource = orgResource("files", ["create_group_folder"] as const);
