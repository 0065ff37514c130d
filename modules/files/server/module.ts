import { defineModule } from "@ensemble/kernel";
import { filesEvents } from "./events.ts";
import { filesProblemCodes } from "../shared/problems.ts";
import { filesMigrations } from "./migrations.ts";
import { filesPolicies } from "./policies.ts";
import { davRoutes } from "./dav/dav-routes.ts";
import { filesRoutes } from "./routes.ts";
import { groupFolderRoutes } from "./group-folder-routes.ts";
import { nextcloudOcsRoutes } from "./nextcloud/ocs.ts";
import { shareRoutes } from "./share-routes.ts";
import { linkRoutes } from "./link-routes.ts";
import { sharedByMeRoutes } from "./shared-by-me-routes.ts";
import { filesNotificationKinds } from "./shares.ts";
import { loginFlowRoutes } from "./nextcloud/login-flow.ts";
import { tusRoutes } from "./tus/tus-routes.ts";
import { zipRoutes } from "./zip-routes.ts";
import { startUploadCleanup } from "./tus/finish.ts";

/** Partageons: personal spaces, group folders, shares, trash, versions, quotas, WebDAV. */
const filesModule = defineModule({
  name: "files",
  namespace: {
    topics: [],
    names: ["files."],
    urls: ["/api/files", "/remote.php", "/status.php", "/ocs", "/index.php/login"],
    tables: ["files_"],
  },
  events: Object.values(filesEvents),
  problemCodes: filesProblemCodes,
  migrations: filesMigrations,
  policies: filesPolicies,
  notificationKinds: filesNotificationKinds,
  start: async (k) => startUploadCleanup(k),
  routes: async (app, k) => {
    filesRoutes(app, k);
    groupFolderRoutes(app, k);
    nextcloudOcsRoutes(app, k);
    shareRoutes(app, k);
    loginFlowRoutes(app, k);
    linkRoutes(app, k);
    sharedByMeRoutes(app, k);
    tusRoutes(app, k);
    zipRoutes(app, k);
    await davRoutes(app, k);
  },
});

export default filesModule;
