import { z } from "zod";
import { AppError, findUserById, UserResource, type Actor, type Kernel } from "@ensemble/kernel";

export const idParams = z.object({ id: z.uuid() });

/** The people an administrator names (members, assignees) must exist, be active and be visible to them. */
export async function visibleUser(k: Kernel, actor: Actor, id: string): Promise<string> {
  const u = await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, id));
  if (u.deactivated) throw new AppError("conflict", "this account is deactivated");
  return u.id;
}
