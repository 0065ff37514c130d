import type { RoomRole } from "../shared/capabilities.ts";

/** Which room roles get a label next to a person's name: presentation only (what they may do comes from the server). */
export const ROLE_BADGE: Readonly<Record<RoomRole, boolean>> = { owner: true, moderator: true, member: false };
