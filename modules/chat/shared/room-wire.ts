import { z } from "zod";
import { memberSchema, roomRoleSchema, roomSchema } from "./schemas.ts";

/**
 * What the room, membership, read-state and draft routes answer. Each route
 * is serialised through its schema (fields not named here never leave the
 * server); the presenters' and the web's types are inferred from them.
 */

export const personSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string() });
export type Person = z.infer<typeof personSchema>;
export const personListSchema = z.object({ items: z.array(personSchema) });
export type PersonList = z.infer<typeof personListSchema>;

/** The public channel directory, by name. */
export const roomPageSchema = z.object({ items: z.array(roomSchema), next: z.string().nullable() });
export type RoomPage = z.infer<typeof roomPageSchema>;

export const memberPageSchema = z.object({ items: z.array(memberSchema), next: z.string().nullable() });
export type MemberPage = z.infer<typeof memberPageSchema>;

/** The people actually added (those already in the room are skipped). */
export const invitedSchema = z.object({ added: z.array(z.string()) });
export type Invited = z.infer<typeof invitedSchema>;
export const memberRoleChangedSchema = z.object({ userId: z.string(), role: roomRoleSchema });
export type MemberRoleChanged = z.infer<typeof memberRoleChangedSchema>;

export const draftSchema = z.object({
  roomId: z.string(),
  /** The thread the draft answers, null for the room itself. */
  parentId: z.string().nullable(),
  text: z.string(),
  /** Null when there is no draft. */
  updatedAt: z.string().nullable(),
});
export type Draft = z.infer<typeof draftSchema>;
export const draftListSchema = z.object({ items: z.array(draftSchema) });
export type DraftList = z.infer<typeof draftListSchema>;

export const threadFollowSchema = z.object({ threadId: z.string(), following: z.boolean() });
export type ThreadFollow = z.infer<typeof threadFollowSchema>;
