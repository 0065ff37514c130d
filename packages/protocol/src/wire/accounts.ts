import { z } from "zod";

/**
 * What the kernel's account routes answer. The server serialises each answer
 * through these schemas (fields they do not name are dropped); the web's types
 * are inferred from them. Browser-safe: zod only.
 */

export const roleSchema = z.enum(["admin", "member", "guest"]);
export const localeSchema = z.enum(["fr", "en"]);

/** The fields anyone who may see a user gets. */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  statusMessage: z.string().nullable(),
  role: roleSchema,
  deactivated: z.boolean(),
});
export type User = z.output<typeof userSchema>;

/** The fields the user themself (and admins) get. */
export const selfSchema = userSchema.extend({
  email: z.string().nullable(),
  locale: localeSchema,
  timeZone: z.string(),
  twoFactorEnabled: z.boolean(),
  hasPassword: z.boolean(),
  createdAt: z.string(),
});
export type Self = z.output<typeof selfSchema>;

export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberCount: z.number(),
  viewerRole: z.enum(["owner", "member"]).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Group = z.output<typeof groupSchema>;
