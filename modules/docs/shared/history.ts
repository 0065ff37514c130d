import { z } from "zod";

/** Why a version exists: named by a person, taken on the schedule, or kept just before a restore replaced the text. */
export const versionKinds = ["named", "auto", "before-restore"] as const;

export const versionSchema = z.object({
  id: z.string(),
  kind: z.enum(versionKinds),
  /** The name a person gave it (named versions only). */
  name: z.string().nullable(),
  createdAt: z.string(),
  /** Who named it or restored over it; null for the schedule's. */
  author: z.object({ id: z.string(), displayName: z.string() }).nullable(),
});
export type DocumentVersion = z.output<typeof versionSchema>;

export const versionListSchema = z.object({
  items: z.array(versionSchema),
  /** What the viewer may do with this document's history (writers name and restore; readers look). */
  allowed: z.object({ name: z.boolean(), restore: z.boolean() }),
});
export type VersionList = z.output<typeof versionListSchema>;

export const createVersionBody = z.object({ name: z.string().trim().min(1).max(200) });

/** A version's text: as Markdown (the export's rendering), and its whole Yjs state (base64) for a read-only editor. */
export const versionContentSchema = z.object({ version: versionSchema, markdown: z.string(), state: z.string() });
export type VersionContent = z.output<typeof versionContentSchema>;

/**
 * One line of the comparison (a block as plain text, list items marked •, 1., ☐/☑): in both, only in the
 * version (removed since), or only now (added since).
 */
export const diffLineSchema = z.object({ change: z.enum(["same", "removed", "added"]), text: z.string() });
export type DiffLine = z.output<typeof diffLineSchema>;

export const versionDiffSchema = z.object({ version: versionSchema, lines: z.array(diffLineSchema) });
export type VersionDiff = z.output<typeof versionDiffSchema>;
