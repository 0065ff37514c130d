import { defineModule, websocketRoute, type Kernel } from "@ensemble/kernel";
import { docsProblemCodes } from "../shared/problems.ts";
import { COLLAB_PATH } from "../shared/documents.ts";
import { CollabServer } from "./collab.ts";
import { docsMigrations } from "./migrations.ts";
import { exportRoutes } from "./export-routes.ts";
import { historyRoutes } from "./history-routes.ts";
import { commentRoutes } from "./comment-routes.ts";
import { clusterExtensions } from "./redis.ts";

/** One co-editing server per kernel (a test process may run several servers). */
const servers = new WeakMap<Kernel, CollabServer>();

/**
 * Partageons' co-editing: Yjs documents synced by Hocuspocus at `/collab` on
 * the server's port; a document is a `.ensdoc` file of the files module,
 * authorised by its rules, its state kept in `docs_` tables.
 */
const docsModule = defineModule({
  name: "docs",
  namespace: { topics: [], names: ["docs."], urls: ["/collab", "/api/docs"], tables: ["docs_"] },
  problemCodes: docsProblemCodes,
  migrations: docsMigrations,
  migrateAfter: ["files"],
  routes: (app, k) => {
    const collab = new CollabServer(k, clusterExtensions(k));
    servers.set(k, collab);
    websocketRoute(app, k, {
      url: COLLAB_PATH,
      summary: "Co-editing (WebSocket, Hocuspocus protocol; a document name is a file id)",
      tags: ["docs"],
      accept: (socket, req, actor) => collab.accept(socket, req, actor),
    });
    exportRoutes(app, k);
    historyRoutes(app, k, collab);
    commentRoutes(app, k, collab);
  },
  start: async (k) => servers.get(k)?.start(),
  stop: async (k) => servers.get(k)?.stop(),
});

/** The module list (modules.json) loads a service through its default export. */
export default docsModule;
