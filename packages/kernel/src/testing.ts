/**
 * For the test kit and the bench only: seeding accounts and sessions straight
 * into the database, faster than through the API. Modules never import this
 * (guarded by packages/kernel/test/module-guards.test.ts).
 */
export { createSession, SESSION_COOKIE, CSRF_COOKIE } from "./accounts/sessions.ts";
export { issueSetupToken } from "./accounts/setup.ts";
export { hashPassword, verifyPassword } from "./accounts/passwords.ts";
export { insertUser } from "./accounts/users.ts";
export { openSqlite } from "./db/sqlite-dialect.ts";
