import type { ModuleDefinition } from "@ensemble/kernel";
import { accountsModule } from "@ensemble/kernel/accounts/module";
import { realtimeModule } from "@ensemble/kernel/realtime/realtime-module";
import { auditModule } from "@ensemble/kernel/audit/audit-module";
import { searchModule } from "@ensemble/kernel/search/search-module";
import { notificationsModule } from "@ensemble/kernel/notifications/notifications-module";

/** The kernel's own modules, as the server composes them (packages do not import apps/server). */
export const kernelModules: readonly ModuleDefinition[] = [
  accountsModule,
  realtimeModule,
  auditModule,
  searchModule,
  notificationsModule,
];
