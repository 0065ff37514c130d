import type { Kysely } from "kysely";
import type { NamedMigration } from "@ensemble/kernel";

const ts = "text";

async function meetings(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("meetings_meetings")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("code", ts, (c) => c.notNull().unique())
    .addColumn("kind", ts, (c) => c.notNull())
    .addColumn("title", ts, (c) => c.notNull())
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("starts_at", ts)
    .addColumn("duration_minutes", "integer")
    .addColumn("organiser_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("password_hash", ts)
    .addColumn("locked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lobby_for_everyone", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ended_at", ts)
    .addColumn("cancelled_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("meetings_meetings_organiser")
    .on("meetings_meetings")
    .columns(["organiser_id", "starts_at"])
    .execute();

  await db.schema
    .createTable("meetings_invitees")
    .addColumn("meeting_id", ts, (c) => c.notNull().references("meetings_meetings.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("moderator", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("meetings_invitees_pk", ["meeting_id", "user_id"])
    .execute();
  await db.schema.createIndex("meetings_invitees_user").on("meetings_invitees").columns(["user_id"]).execute();

  await db.schema
    .createTable("meetings_attendees")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("meeting_id", ts, (c) => c.notNull().references("meetings_meetings.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("visitor_id", ts)
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("role", ts, (c) => c.notNull())
    .addColumn("state", ts, (c) => c.notNull())
    .addColumn("knocked_at", ts, (c) => c.notNull())
    .addColumn("decided_at", ts)
    .addColumn("decided_by", ts)
    .execute();
  await db.schema
    .createIndex("meetings_attendees_meeting")
    .on("meetings_attendees")
    .columns(["meeting_id", "state"])
    .execute();
  await db.schema
    .createIndex("meetings_attendees_person")
    .on("meetings_attendees")
    .columns(["meeting_id", "user_id", "visitor_id"])
    .execute();
}

export const meetingsMigrations: readonly NamedMigration[] = [
  { name: "20261206T2330_meetings_meetings", up: meetings },
];
