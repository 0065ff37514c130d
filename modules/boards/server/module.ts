import { defineModule } from "@ensemble/kernel";
import { boardRoutes } from "./board-routes.ts";
import { cardRoutes } from "./card-routes.ts";
import { checklistRoutes } from "./checklist-routes.ts";
import { commentRoutes } from "./comment-routes.ts";
import { boardsEvents } from "./events.ts";
import { importRoutes } from "./import-routes.ts";
import { laneRoutes } from "./lane-routes.ts";
import { memberRoutes } from "./member-routes.ts";
import { myTaskRoutes } from "./my-task-routes.ts";
import { boardsMigrations } from "./migrations.ts";
import { boardsPolicies } from "./policies.ts";
import { boardsTopics } from "./topics.ts";
import { boardsProblemCodes } from "../shared/problems.ts";

/** Planifions: kanban boards — swimlanes × lists, cards in a fractional order, members with roles, live on `board:<id>`. */
const boardsModule = defineModule({
  name: "boards",
  namespace: { topics: ["board:"], names: ["boards."], urls: ["/api/boards"], tables: ["boards_"] },
  events: Object.values(boardsEvents),
  problemCodes: boardsProblemCodes,
  migrations: boardsMigrations,
  policies: boardsPolicies,
  topics: boardsTopics,
  routes: (app, k) => {
    boardRoutes(app, k);
    memberRoutes(app, k);
    laneRoutes(app, k);
    cardRoutes(app, k);
    commentRoutes(app, k);
    checklistRoutes(app, k);
    importRoutes(app, k);
    myTaskRoutes(app, k);
  },
});

/** The module list (modules.json) loads a service through its default export. */
export default boardsModule;
