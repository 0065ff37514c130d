import { sql, type Kysely } from "kysely";
import type { DbKind, NamedMigration } from "@ensemble/kernel";

const ts = "text";

/**
 * Position keys are compared as bytes everywhere (shared/order.ts): on
 * PostgreSQL the column takes the "C" collation, since a linguistic one would
 * sort « a » and « B » differently from SQLite and the clients.
 */
const keyType = (kind: DbKind) => sql.raw(kind === "postgres" ? 'text collate "C"' : "text");

async function boards(db: Kysely<unknown>, kind: DbKind): Promise<void> {
  const key = keyType(kind);
  await db.schema
    .createTable("boards_boards")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("title", ts, (c) => c.notNull())
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("visibility", ts, (c) => c.notNull())
    .addColumn("group_id", ts, (c) => c.references("groups.id").onDelete("set null"))
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("labels", ts, (c) => c.notNull().defaultTo("[]"))
    .addColumn("version", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("boards_boards_group").on("boards_boards").column("group_id").execute();
  await db.schema.createIndex("boards_boards_visibility").on("boards_boards").column("visibility").execute();

  await db.schema
    .createTable("boards_members")
    .addColumn("board_id", ts, (c) => c.notNull().references("boards_boards.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("boards_members_pk", ["board_id", "user_id"])
    .execute();
  await db.schema.createIndex("boards_members_user").on("boards_members").columns(["user_id", "board_id"]).execute();

  for (const table of ["boards_lists", "boards_swimlanes"] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn("id", ts, (c) => c.primaryKey())
      .addColumn("board_id", ts, (c) => c.notNull().references("boards_boards.id").onDelete("cascade"))
      .addColumn("title", ts, (c) => c.notNull())
      .addColumn("position", key, (c) => c.notNull())
      .addColumn("created_at", ts, (c) => c.notNull());
    if (table === "boards_lists")
      t = t.addColumn("wip_limit", "integer").addColumn("wip_mode", ts, (c) => c.notNull().defaultTo("soft"));
    await t.execute();
    await db.schema.createIndex(`${table}_board`).on(table).columns(["board_id", "position"]).execute();
  }

  await db.schema
    .createTable("boards_cards")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("board_id", ts, (c) => c.notNull().references("boards_boards.id").onDelete("cascade"))
    .addColumn("list_id", ts, (c) => c.notNull().references("boards_lists.id").onDelete("cascade"))
    .addColumn("swimlane_id", ts, (c) => c.notNull().references("boards_swimlanes.id").onDelete("cascade"))
    .addColumn("title", ts, (c) => c.notNull())
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("label_ids", ts, (c) => c.notNull().defaultTo("[]"))
    .addColumn("assignee_ids", ts, (c) => c.notNull().defaultTo("[]"))
    .addColumn("due_at", ts)
    .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("archived_at", ts)
    .addColumn("position", key, (c) => c.notNull())
    .addColumn("comment_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  // The board page reads every card of a board; a move reads one (list, swimlane) cell in order.
  await db.schema.createIndex("boards_cards_board").on("boards_cards").column("board_id").execute();
  await db.schema
    .createIndex("boards_cards_cell")
    .on("boards_cards")
    .columns(["list_id", "swimlane_id", "position"])
    .execute();

  await db.schema
    .createTable("boards_comments")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("card_id", ts, (c) => c.notNull().references("boards_cards.id").onDelete("cascade"))
    .addColumn("board_id", ts, (c) => c.notNull().references("boards_boards.id").onDelete("cascade"))
    .addColumn("author_id", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("text", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("boards_comments_card").on("boards_comments").columns(["card_id", "id"]).execute();
}

/**
 * Opening a board counts each cell's open cards and reads the first page of
 * each cell (server/board-view.ts). Partial indexes of the open cards serve
 * both; `archived_at` is a column too so that SQLite counts from the index
 * alone (it checks a partial index's condition on the row otherwise: twice
 * the time on 5,000 cards).
 */
async function openCards(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("boards_cards_open")
    .on("boards_cards")
    .columns(["board_id", "list_id", "swimlane_id", "archived_at"])
    .where(sql.ref("archived_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("boards_cards_open_cell")
    .on("boards_cards")
    .columns(["list_id", "swimlane_id", "position", "id", "archived_at"])
    .where(sql.ref("archived_at"), "is", null)
    .execute();
}

/** One checklist per card: its items, and the card's progress kept beside its comment count. */
async function checklists(db: Kysely<unknown>, kind: DbKind): Promise<void> {
  for (const col of ["checklist_done", "checklist_total"])
    await db.schema
      .alterTable("boards_cards")
      .addColumn(col, "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  await db.schema
    .createTable("boards_checklist_items")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("card_id", ts, (c) => c.notNull().references("boards_cards.id").onDelete("cascade"))
    .addColumn("board_id", ts, (c) => c.notNull().references("boards_boards.id").onDelete("cascade"))
    .addColumn("text", ts, (c) => c.notNull())
    .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("assignee_id", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("due_at", ts)
    .addColumn("position", keyType(kind), (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("boards_checklist_items_card")
    .on("boards_checklist_items")
    .columns(["card_id", "position", "id"])
    .execute();
}

export const boardsMigrations: readonly NamedMigration[] = [
  { name: "20261206T2300_boards_core", up: boards },
  { name: "20261207T0600_boards_open_cards", up: openCards },
  { name: "20261207T0700_boards_checklists", up: checklists },
];
