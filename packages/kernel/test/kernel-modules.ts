import type { ModuleDefinition } from "@ensemble/kernel";
import { accountsModule } from "../src/accounts/module.ts";
import { realtimeModule } from "../src/realtime/realtime-module.ts";
import { auditModule } from "../src/audit/audit-module.ts";
import { searchModule } from "../src/search/search-module.ts";
import { notificationsModule } from "../src/notifications/notifications-module.ts";

/** The kernel's own modules, as the server composes them (packages do not import apps/server). */
export const kernelModules: readonly ModuleDefinition[] = [
  accountsModule,
  realtimeModule,
  auditModule,
  searchModule,
  notificationsModule,
];
