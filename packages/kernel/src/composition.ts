/**
 * What the composition root (apps/server: startServer, the CLI) needs beyond
 * the modules' surface (`@ensemble/kernel`): the kernel's own modules, the web
 * shell's server, backups, and password handling for `ensemble user add`.
 * Modules never import this (guarded by packages/kernel/test/module-guards.test.ts).
 */
export { accountsModule } from "./accounts/module.ts";
export { realtimeModule } from "./realtime/realtime-module.ts";
export { auditModule } from "./audit/audit-module.ts";
export { searchModule } from "./search/search-module.ts";
export { notificationsModule } from "./notifications/notifications-module.ts";
export { brandingModule } from "./branding/branding-module.ts";
export { systemModule } from "./system/system-module.ts";
export { installWebApp } from "./http/web-app.ts";
export { restoreBackup } from "./backup/restore.ts";
export { createBackup, archiveSize } from "./backup/backup.ts";
export { BackupError } from "./backup/manifest.ts";
export { checkPasswordRules, generatePassword, hashPassword } from "./accounts/passwords.ts";
export { insertUser } from "./accounts/users.ts";
