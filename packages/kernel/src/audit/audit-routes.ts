import type { FastifyInstance } from "fastify";
import { sql, type Kysely, type SelectQueryBuilder, type SqlBool } from "kysely";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageQuery } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import type { KernelTables } from "../db/tables.ts";
import type { UserActor } from "../authz/actor.ts";
import { rawResponse, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import type { RowScope } from "../authz/policy.ts";
import { authorizeOrg, mayInOrg, OrgResource } from "../authz/organisation.ts";
import type { AuditTables } from "./audit-tables.ts";
import { csvRow } from "./csv.ts";
import { AuditEntryResource } from "./audit-policies.ts";
import { audit } from "./audit.ts";
import { auditSettings, saveAuditSettings } from "./audit-settings.ts";
import { pageOf } from "@ensemble/protocol/wire/page";
import { auditEntrySchema, auditSettingsSchema, type AuditEntry } from "@ensemble/protocol/wire/audit";

const filters = z.object({
  actor: z.uuid().optional(),
  /** Exact action, or a prefix ending in `*` (`auth.*`). */
  action: z
    .string()
    .trim()
    .regex(/^[a-z0-9_.]+\*?$/, "letters, digits, _ and . (optionally ending with *)")
    .max(100)
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
const listQuery = pageQuery.extend(filters.shape);
const settingsBody = z.object({ retentionDays: z.number().int().min(1).max(3650) }).strict();
const CSV_MAX_ROWS = 100_000;

type Db = Kysely<KernelTables & AuditTables>;
type Row = AuditTables["audit_log"] & { actor_username: string | null };

/** The log is visible to those who may view it (`org.view_audit`); to others it does not exist. */
async function requireAuditView(k: Kernel, actor: UserActor): Promise<void> {
  if (!(await mayInOrg(k, actor, OrgResource, "view_audit"))) throw new AppError("not_found", "not found");
}

function filtered(
  db: Db,
  f: z.infer<typeof filters>,
  scope: RowScope,
): SelectQueryBuilder<KernelTables & AuditTables, "audit_log" | "users", Row> {
  let q = db
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.actor_id")
    .selectAll("audit_log")
    .select("users.username as actor_username")
    .where(scope("audit_log"));
  if (f.actor) q = q.where("audit_log.actor_id", "=", f.actor);
  // `_` is a LIKE wildcard: escaped, with the escape character named (SQLite has no default one).
  if (f.action?.endsWith("*"))
    q = q.where(
      sql<SqlBool>`${sql.ref("audit_log.action")} like ${`${f.action.slice(0, -1).replace(/_/g, "\\_")}%`} escape '\\'`,
    );
  else if (f.action) q = q.where("audit_log.action", "=", f.action);
  if (f.from) q = q.where("audit_log.at", ">=", new Date(f.from).toISOString());
  if (f.to) q = q.where("audit_log.at", "<", new Date(f.to).toISOString());
  return q.orderBy("audit_log.at", "desc").orderBy("audit_log.id", "desc") as unknown as SelectQueryBuilder<
    KernelTables & AuditTables,
    "audit_log" | "users",
    Row
  >;
}

const present = (r: Row): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor_id ? { id: r.actor_id, username: r.actor_username } : null,
  action: r.action,
  target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
  ip: r.ip,
  details: JSON.parse(r.details) as unknown,
});

/** Administrators' view of the audit log: filter, page, export, retention. */
export function auditRoutes(app: FastifyInstance, k: Kernel): void {
  const db = k.db.withTables<AuditTables>() as Db;

  route(app, {
    method: "GET",
    url: "/api/admin/audit",
    summary: "Audit log entries, newest first (filters: actor, action or action prefix*, from/to)",
    tags: ["audit"],
    auth: "user",
    response: pageOf(auditEntrySchema),
    query: listQuery,
    handler: async ({ actor, query }) => {
      await requireAuditView(k, actor);
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      let q = filtered(db, query, k.policy.scope(AuditEntryResource, actor)).limit(query.limit + 1);
      if (cursor) {
        const [at, id] = cursor.map(String) as [string, string];
        q = q.where((eb) =>
          eb.or([eb("audit_log.at", "<", at), eb.and([eb("audit_log.at", "=", at), eb("audit_log.id", "<", id)])]),
        );
      }
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(present),
        next: rows.length > query.limit && last ? encodeCursor([last.at, last.id]) : null,
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/admin/audit.csv",
    summary: "Export the filtered audit log as CSV (at most 100,000 rows, newest first)",
    tags: ["audit"],
    auth: "user",
    response: rawResponse("text/csv", "The filtered audit log as CSV"),
    query: filters,
    handler: async ({ actor, query, reply }) => {
      await requireAuditView(k, actor);
      const rows = await filtered(db, query, k.policy.scope(AuditEntryResource, actor)).limit(CSV_MAX_ROWS).execute();
      let out = csvRow([
        "id",
        "at",
        "actor_id",
        "actor_username",
        "action",
        "target_type",
        "target_id",
        "ip",
        "details",
      ]);
      for (const r of rows)
        out += csvRow([
          r.id,
          r.at,
          r.actor_id,
          r.actor_username,
          r.action,
          r.target_type,
          r.target_id,
          r.ip,
          r.details,
        ]);
      await audit(k.db, {
        actorId: actor.id,
        action: "audit.log.exported",
        details: { rows: rows.length, filters: query },
      });
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
        .header("cache-control", "no-store")
        .send(out);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/admin/audit/settings",
    summary: "Audit log retention",
    tags: ["audit"],
    auth: "user",
    response: auditSettingsSchema,
    handler: async ({ actor }) => {
      await requireAuditView(k, actor);
      return auditSettings(k.db);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/admin/audit/settings",
    summary: "Change how many days audit entries are kept",
    tags: ["audit"],
    auth: "user",
    response: auditSettingsSchema,
    body: settingsBody,
    handler: async ({ actor, body, req }) => {
      await requireAuditView(k, actor);
      await authorizeOrg(k, actor, OrgResource, "administer");
      return k.db.transaction().execute(async (tx) => {
        const before = await auditSettings(tx);
        const next = await saveAuditSettings(tx, body);
        await audit(tx, {
          actorId: actor.id,
          action: "audit.settings.updated",
          ip: req.ip,
          details: { from: before, to: next },
        });
        return next;
      });
    },
  });
}
