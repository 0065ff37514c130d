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

/** Sign-in, setup, invitation accept and `GET /api/me`: the user and the CSRF token of the session. */
export const signInAnswerSchema = z.object({
  user: selfSchema,
  csrfToken: z.string(),
  /** The organisation requires a second factor this account has not enrolled yet. */
  mustEnrolTwoFactor: z.boolean().optional(),
});
export type SignInAnswer = z.output<typeof signInAnswerSchema>;

/** `GET /api/me`: the signed-in user and, with a browser session, its CSRF token (null for app tokens). */
export const meAnswerSchema = z.object({
  user: selfSchema,
  csrfToken: z.string().nullable(),
  /** What the person may do in the organisation (`org.administer`, `chat.create_channel`…): the policy's answer. */
  capabilities: z.array(z.string()),
});
export type MeAnswer = z.output<typeof meAnswerSchema>;

export const setupNeededSchema = z.object({ needed: z.boolean() });
export const authProvidersSchema = z.object({
  oidc: z.object({ name: z.string() }).nullable(),
  ssoOnly: z.boolean(),
});
export type AuthProviders = z.output<typeof authProvidersSchema>;
export const acceptedSchema = z.object({ accepted: z.boolean() });
export const userAnswerSchema = z.object({ user: selfSchema });

/** A directory entry: the public profile plus the work e-mail address. */
export const directoryEntrySchema = userSchema.extend({ email: z.string().nullable() });
export type DirectoryEntry = z.output<typeof directoryEntrySchema>;
/** Profile card: also the locale and time zone, so colleagues know when to call. */
export const profileCardSchema = directoryEntrySchema.extend({ locale: localeSchema, timeZone: z.string() });
export type ProfileCard = z.output<typeof profileCardSchema>;

export const groupRoleSchema = z.enum(["owner", "member"]);
export const groupMemberSchema = z.object({ user: userSchema, role: groupRoleSchema, addedAt: z.string() });
export type GroupMember = z.output<typeof groupMemberSchema>;
/** A group with the first page of its members. */
export const groupDetailSchema = groupSchema.extend({
  members: z.array(groupMemberSchema),
  membersNext: z.string().nullable(),
});
export type GroupDetail = z.output<typeof groupDetailSchema>;
export const groupMemberRoleSchema = z.object({ userId: z.string(), role: groupRoleSchema });

export const invitationSchema = z.object({
  id: z.string(),
  role: z.enum(["member", "guest"]),
  groupId: z.string().nullable(),
  email: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  maxUses: z.number(),
  uses: z.number(),
  revokedAt: z.string().nullable(),
  status: z.enum(["active", "used", "expired", "revoked"]),
});
export type Invitation = z.output<typeof invitationSchema>;
/** The link is shown once, here: only its hash is stored. */
export const createdInvitationSchema = z.object({ invitation: invitationSchema, link: z.string() });
export const invitationPreviewSchema = z.object({
  role: z.enum(["member", "guest"]),
  organisationName: z.string(),
  groupName: z.string().nullable(),
  inviterDisplayName: z.string(),
  email: z.string().nullable(),
  expiresAt: z.string(),
});
export type InvitationPreview = z.output<typeof invitationPreviewSchema>;

/** The organisation's settings as administrators see and change them. */
export const adminSettingsSchema = z.object({
  membersCanInvite: z.boolean(),
  membersCanCreateGroups: z.boolean(),
  requireTwoFactor: z.enum(["off", "admins", "everyone"]),
  brandName: z.string(),
  brandColor: z.string(),
  defaultLocale: localeSchema,
});
export type AdminSettings = z.output<typeof adminSettingsSchema>;
export const publicSettingsSchema = adminSettingsSchema.pick({
  brandName: true,
  brandColor: true,
  defaultLocale: true,
});

export const sessionSchema = z.object({
  id: z.string(),
  device: z.string(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  ip: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export type Session = z.output<typeof sessionSchema>;
export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) });
export const revokedCountSchema = z.object({ revoked: z.number() });

export const scopeSchema = z.enum(["read", "write", "admin"]);
export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(scopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type Token = z.output<typeof tokenSchema>;
/** The token's value is returned only in this answer. */
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
export const tokenListSchema = z.object({ items: z.array(tokenSchema) });

export const twoFactorStatusSchema = z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number() });
/** Enrolment: the secret, its otpauth URI and a QR code (PNG data URL) to scan. */
export const twoFactorSetupSchema = z.object({ secret: z.string(), otpauthUri: z.string(), qrCode: z.string() });
export type TwoFactorSetup = z.output<typeof twoFactorSetupSchema>;
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const twoFactorEnabledSchema = recoveryCodesSchema.extend({ enabled: z.boolean() });
