import type { FastifyInstance } from "fastify";
import { z, type ZodType } from "zod";
import { AppError, authorizeOrg, route, type Kernel } from "@ensemble/kernel";
import { importResultSchema } from "../shared/schemas.ts";
import { presentBoard } from "./board-routes.ts";
import { loadBoard } from "./boards.ts";
import { ensembleExport, exportBoard, fromEnsemble } from "./board-export.ts";
import { createImportedBoard } from "./import-board.ts";
import { fromTrello, trelloExport } from "./import-trello.ts";
import { fromWekan, wekanExport } from "./import-wekan.ts";
import type { ImportedBoard } from "./imported-board.ts";
import { idParams } from "./route-helpers.ts";
import { BoardResource, BoardsOrgResource } from "./resources.ts";
import { boardsDb } from "./tables.ts";

/** An export file is larger than the API's usual bodies: 10 MiB (a bigger one is answered 413, nothing read). */
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

const formats: Record<"trello" | "wekan" | "ensemble", (data: unknown) => ImportedBoard> = {
  trello: (d) => fromTrello(parse(trelloExport, d)),
  wekan: (d) => fromWekan(parse(wekanExport, d)),
  ensemble: (d) => fromEnsemble(parse(ensembleExport, d)),
};

/** The export read by its format's schema; what does not fit is refused with each place named. */
function parse<T>(schema: ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new AppError("boards_import_invalid", "the file does not follow the export format", {
    errors: r.error.issues.slice(0, 50).map((i) => ({ path: i.path.join("."), message: i.message })),
  });
}

const importBody = z.object({ format: z.enum(["trello", "wekan", "ensemble"]), data: z.unknown() }).strict();

/** Boards in and out as files: our own JSON export, and imports from it, Trello and Wekan. */
export function importRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);

  route(app, {
    method: "POST",
    url: "/api/boards/import",
    summary: "Create a board from an export (Trello JSON, Wekan JSON, or this server's own), all of it or nothing",
    tags: ["boards"],
    auth: "user",
    bodyLimit: IMPORT_MAX_BYTES,
    body: importBody,
    response: importResultSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, BoardsOrgResource, "create");
      const { board, report } = await createImportedBoard(k, actor, formats[body.format](body.data));
      return { board: await presentBoard(k, actor, board), report };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/boards/:id/export",
    summary: "The whole board as JSON (archived cards included, people by username), for import here or elsewhere",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    response: ensembleExport,
    handler: async ({ actor, params }) =>
      exportBoard(db, await k.policy.authorize(actor, BoardResource, "read", await loadBoard(db, params.id, actor))),
  });
}
