import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, authorizeOrg, isUniqueViolation, loadGroup, route, type Kernel } from "@ensemble/kernel";
import { spaceSchema } from "../shared/wire.ts";
import { checkName } from "./names.ts";
import { FilesOrgResource } from "./resources.ts";
import { createSpace } from "./spaces.ts";
import { filesDb } from "./tables.ts";
import { presentSpace } from "./present.ts";

/** Group folders: a space owned by a kernel group, created by an administrator, shared by its members. */
export function groupFolderRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "POST",
    url: "/api/files/group-folders",
    summary: "Create the group folder of a group (administrators)",
    tags: ["files"],
    auth: "user",
    body: z.object({
      groupId: z.uuid(),
      name: z.string().max(1024),
      quotaBytes: z.number().int().positive().nullable().default(null),
    }),
    response: spaceSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, FilesOrgResource, "create_group_folder");
      const group = await loadGroup(k.db, body.groupId, actor);
      if (!group) throw new AppError("not_found", "group not found");
      const name = checkName(body.name);
      try {
        const space = await filesDb(k)
          .transaction()
          .execute(async (tx) => {
            const s = await createSpace(tx, {
              kind: "group",
              userId: null,
              groupId: group.id,
              name,
              actorId: actor.id,
            });
            if (body.quotaBytes !== null)
              await tx
                .updateTable("files_spaces")
                .set({ quota_bytes: body.quotaBytes })
                .where("id", "=", s.id)
                .execute();
            return { ...s, quota_bytes: body.quotaBytes };
          });
        return presentSpace(k, { ...space, access: null });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError("conflict", "this group already has a folder");
        throw e;
      }
    },
  });
}
