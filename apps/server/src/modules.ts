import type { ModuleDefinition } from "@ensemble/kernel";
import { accountsModule } from "@ensemble/kernel/accounts/module";
import { realtimeModule } from "@ensemble/kernel/realtime/realtime-module";
import { auditModule } from "@ensemble/kernel/audit/audit-module";
import { searchModule } from "@ensemble/kernel/search/search-module";
import { notificationsModule } from "@ensemble/kernel/notifications/notifications-module";
import { chatModule } from "@ensemble/chat/server";
import { brandingModule } from "@ensemble/kernel/branding/branding-module";
import { systemModule } from "@ensemble/kernel/system/system-module";

/** The composition root's one list: adding a service is adding a line here. */
export const modules: readonly ModuleDefinition[] = [
  accountsModule,
  realtimeModule,
  auditModule,
  searchModule,
  notificationsModule,
  brandingModule,
  systemModule,
  chatModule,
];
