import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import {
  AppError,
  audit,
  recordEvent,
  route,
  type Kernel,
  type UserActor,
  authorizeOrg,
  mayInOrg,
} from "@ensemble/kernel";
import { type ChatDb, chatDb } from "../tables.ts";
import { ChatOrgResource, ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { redactMessages, tombstone } from "../redact-message.ts";
import {
  globalRetentionSetSchema,
  retentionRunSchema,
  retentionSchema,
  roomRetentionSchema,
  roomRetentionSetSchema,
} from "../../shared/moderation-wire.ts";

const GLOBAL = "global";
const BATCH = 500;
export const RETENTION_JOB_MS = 3_600_000;

const daysBody = z.object({ days: z.number().int().min(0).max(36_500).nullable() }).strict();

/** Per room: its own setting, else the global one; 0 or none keeps messages forever. */
async function effectivePolicies(db: ChatDb): Promise<{ roomId: string; days: number; scope: string }[]> {
  const all = await db.selectFrom("chat_retention").selectAll().execute();
  const global = all.find((r) => r.scope === GLOBAL)?.days ?? 0;
  const perRoom = new Map(all.filter((r) => r.scope !== GLOBAL).map((r) => [r.scope, r.days]));
  const rooms = await db.selectFrom("chat_rooms").select("id").execute();
  return rooms
    .map((r) => {
      const own = perRoom.get(r.id);
      return { roomId: r.id, days: own ?? global, scope: own !== undefined ? r.id : GLOBAL };
    })
    .filter((p) => p.days > 0);
}

/**
 * Deletes messages older than the room's retention, in batches, with what
 * hangs off them (search entries, reactions, files' contents). A thread root
 * stays while newer replies still need it. Each room's purge is recorded as
 * an event and in the audit log.
 */
export async function applyRetention(k: Kernel): Promise<{ roomId: string; deleted: number }[]> {
  const db = chatDb(k);
  const out: { roomId: string; deleted: number }[] = [];
  for (const p of await effectivePolicies(db)) {
    const cutoff = new Date(Date.now() - p.days * 86_400_000).toISOString();
    const purgedAt = new Date().toISOString();
    let deleted = 0;
    for (;;) {
      const ids = (
        await db
          .selectFrom("chat_messages as m")
          .select("m.id")
          .where("m.room_id", "=", p.roomId)
          .where("m.created_at", "<", cutoff)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("chat_messages as r")
                  .select(sql.lit(1).as("x"))
                  .whereRef("r.parent_id", "=", "m.id")
                  .where("r.created_at", ">=", cutoff),
              ),
            ),
          )
          .limit(BATCH)
          .execute()
      ).map((r) => r.id);
      if (!ids.length) break;
      const blobs = await db
        .selectFrom("chat_files")
        .select(["blob_key", "thumb_key"])
        .where("message_id", "in", ids)
        .execute();
      await db.transaction().execute(async (tx) => {
        if (k.database.kind === "sqlite") {
          await sql`delete from chat_message_fts where rowid in (select rowid from chat_messages where id in (${sql.join(ids)}))`.execute(
            tx,
          );
        }
        await tx.deleteFrom("chat_files").where("message_id", "in", ids).execute();
        await tx.deleteFrom("chat_messages").where("id", "in", ids).execute();
        // Their events stay in the realtime log until it is pruned: without the content.
        await redactMessages(tx, ids, (old) => tombstone(old, purgedAt));
      });
      for (const b of blobs) {
        await k.blobs.delete(b.blob_key);
        if (b.thumb_key) await k.blobs.delete(b.thumb_key);
      }
      deleted += ids.length;
      if (ids.length < BATCH) break;
    }
    if (deleted > 0) {
      await db.transaction().execute(async (tx) => {
        await recordEvent(tx, {
          name: "chat.retention.applied",
          actorId: null,
          resources: { room: p.roomId },
          payload: { scope: p.scope, days: p.days, deleted },
        });
        await audit(tx, {
          actorId: null,
          action: "chat.retention.applied",
          target: { type: "chat_room", id: p.roomId },
          details: { days: p.days, deleted, before: cutoff },
        });
      });
      k.log.info({ roomId: p.roomId, days: p.days, deleted }, "chat retention applied");
    }
    out.push({ roomId: p.roomId, deleted });
  }
  return out;
}

export function startRetentionJob(k: Kernel): void {
  k.jobs.every("chat.retention", RETENTION_JOB_MS, async () => {
    await applyRetention(k);
  });
}

/** Retention settings: organisation-wide and per room, set by administrators (they destroy history). */
export function retentionRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);
  const admin = (a: UserActor) => authorizeOrg(k, a, ChatOrgResource, "administer");
  const save = async (actor: UserActor, scope: string, days: number | null, ip: string) => {
    await db.transaction().execute(async (tx) => {
      if (days === null) await tx.deleteFrom("chat_retention").where("scope", "=", scope).execute();
      else {
        const values = { days, updated_by: actor.id, updated_at: new Date().toISOString() };
        await tx
          .insertInto("chat_retention")
          .values({ scope, ...values })
          .onConflict((oc) => oc.column("scope").doUpdateSet(values))
          .execute();
      }
      await audit(tx, {
        actorId: actor.id,
        action: "chat.retention.updated",
        target: scope === GLOBAL ? null : { type: "chat_room", id: scope },
        ip,
        details: { scope, days },
      });
    });
  };

  route(app, {
    method: "GET",
    url: "/api/chat/retention",
    summary: "Message retention: the global setting and the rooms that have their own (administrators)",
    tags: ["chat", "moderation"],
    auth: "user",
    response: retentionSchema,
    handler: async ({ actor }) => {
      await admin(actor);
      const rows = await db.selectFrom("chat_retention").selectAll().orderBy("scope").execute();
      return {
        days: rows.find((r) => r.scope === GLOBAL)?.days ?? 0,
        rooms: rows
          .filter((r) => r.scope !== GLOBAL)
          .map((r) => ({ roomId: r.scope, days: r.days, updatedAt: r.updated_at })),
      };
    },
  });

  route(app, {
    method: "PUT",
    url: "/api/chat/retention",
    summary: "Delete messages older than N days in every room without its own setting (0 or null: keep forever)",
    tags: ["chat", "moderation"],
    auth: "user",
    body: daysBody,
    response: globalRetentionSetSchema,
    handler: async ({ actor, body, req }) => {
      await admin(actor);
      await save(actor, GLOBAL, body.days, req.ip);
      return { days: body.days ?? 0 };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/retention",
    summary:
      "A room's retention: its own setting, the global one and what applies (the room's moderators and administrators)",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: roomRetentionSchema,
    handler: async ({ actor, params }) => {
      let roomId: string;
      if (await mayInOrg(k, actor, ChatOrgResource, "administer")) {
        const room = await db.selectFrom("chat_rooms").select("id").where("id", "=", params.id).executeTakeFirst();
        if (!room) throw new AppError("not_found", "chat_room not found");
        roomId = room.id;
      } else {
        // Moderators learn how long their room keeps its history; the setting stays with administrators.
        roomId = (
          await k.policy.authorize(actor, ChatRoomResource, "moderate", await loadRoom(chatDb(k), params.id, actor))
        ).id;
      }
      const rows = await db
        .selectFrom("chat_retention")
        .select(["scope", "days"])
        .where("scope", "in", [GLOBAL, roomId])
        .execute();
      const own = rows.find((r) => r.scope === roomId)?.days ?? null;
      const globalDays = rows.find((r) => r.scope === GLOBAL)?.days ?? 0;
      return { roomId, days: own, globalDays, effectiveDays: own ?? globalDays };
    },
  });

  route(app, {
    method: "PUT",
    url: "/api/chat/rooms/:id/retention",
    summary: "A room's own retention in days (null: follow the global setting)",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    body: daysBody,
    response: roomRetentionSetSchema,
    handler: async ({ actor, params, body, req }) => {
      await admin(actor);
      // Administrators set it for any room, private groups included, without reading them.
      const room = await db.selectFrom("chat_rooms").select("id").where("id", "=", params.id).executeTakeFirst();
      if (!room) throw new AppError("not_found", "chat_room not found");
      await save(actor, room.id, body.days, req.ip);
      return { roomId: room.id, days: body.days };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/retention/run",
    summary: "Apply message retention now instead of waiting for the hourly job (administrators)",
    tags: ["chat", "moderation"],
    auth: "user",
    response: retentionRunSchema,
    handler: async ({ actor }) => {
      await admin(actor);
      const result = await applyRetention(k);
      return { rooms: result.filter((r) => r.deleted > 0) };
    },
  });
}
