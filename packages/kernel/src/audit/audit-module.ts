import { defineModule } from "../module.ts";
import { defineEventHandler } from "../events/dispatcher.ts";
import { audit } from "./audit.ts";
import { auditRoutes } from "./audit-routes.ts";
import { auditPolicies } from "./audit-policies.ts";
import { auditSettings } from "./audit-settings.ts";
import type { AuditTables } from "./audit-tables.ts";

const DAY_MS = 86_400_000;

/**
 * The audit log as a module: the admin API, the mirror of the domain events
 * modules mark as auditable (`auditableEvents`), and the retention job.
 */
export const auditModule = defineModule({
  name: "audit",
  policies: auditPolicies,
  eventHandlers: (k) => [
    defineEventHandler({
      name: "audit",
      // Read at each match: modules register their auditable names at start.
      get events() {
        return k.auditTrail.mirrored;
      },
      handle: async (event) => {
        const [first] = Object.entries(event.resources);
        // The event id doubles as the entry id: a redelivered event is recorded once.
        await audit(k.db, {
          id: event.id,
          at: event.createdAt,
          actorId: event.actorId,
          action: event.name,
          target: first ? { type: first[0], id: first[1] } : null,
          details: { resources: event.resources, payload: event.payload },
        });
      },
    }),
  ],
  routes: (app, k) => auditRoutes(app, k),
  start: (k) => {
    k.jobs.every("audit.retention", 3_600_000, async () => {
      const { retentionDays } = await auditSettings(k.db);
      const cutoff = new Date(Date.now() - retentionDays * DAY_MS).toISOString();
      await k.db.withTables<AuditTables>().deleteFrom("audit_log").where("at", "<", cutoff).execute();
    });
  },
});
