import type { FastifyInstance } from "fastify";
import { route, type Kernel } from "@ensemble/kernel";
import { searchQuery } from "../shared/schemas.ts";
import { searchMessages } from "./search.ts";
import { searchPageSchema } from "../shared/message-wire.ts";

/** Message search with chat's filters (`in:#room from:@user has:file has:link before: after:`). */
export function searchRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "GET",
    url: "/api/chat/search",
    summary: "Search the messages the actor may read (accent-insensitive, prefix matching, chat filters)",
    tags: ["chat"],
    auth: "user",
    query: searchQuery,
    response: searchPageSchema,
    handler: async ({ actor, query }) =>
      searchMessages(k, actor, query.q, { limit: query.limit, cursor: query.cursor }),
  });
}
