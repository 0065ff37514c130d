import { capabilityTable } from "@ensemble/protocol";

/** The permission a share grants, from least to most: what the share dialog offers. */
export const shareLevels = ["read", "edit", "reshare"] as const;
export type ShareLevel = (typeof shareLevels)[number];

/** What a share lets its recipient do with the shared node and what lies below it. */
export const ShareCapability = {
  read: "read",
  /** Change a file's content; add files and folders in a folder. */
  write: "write",
  /** Delete, rename or move what lies below the shared node (never the shared node itself). */
  delete: "delete",
  /** Share it further, at most at one's own level. */
  reshare: "reshare",
} as const;
export type ShareCapability = (typeof ShareCapability)[keyof typeof ShareCapability];

/** Share levels mapped to capabilities as data, in the platform's one capability engine. */
export const shareCapabilityTable = capabilityTable<ShareLevel, ShareCapability>({
  read: { read: true },
  edit: { read: true, write: true, delete: true },
  reshare: { read: true, write: true, delete: true, reshare: true },
});

export const canWithShare = (level: ShareLevel | null, capability: ShareCapability): boolean =>
  shareCapabilityTable.can(level, capability);

/** The stronger of two levels (a person reached by several shares gets the most they grant). */
export const strongerLevel = (a: ShareLevel | null, b: ShareLevel | null): ShareLevel | null =>
  a === null ? b : b === null ? a : shareLevels.indexOf(a) >= shareLevels.indexOf(b) ? a : b;
