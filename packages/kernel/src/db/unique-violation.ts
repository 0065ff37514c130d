/**
 * True when a statement failed on a unique constraint, on either engine
 * (PostgreSQL's 23505, SQLite's "UNIQUE constraint failed"): for the
 * insert-then-catch pattern of idempotent creates and taken names.
 */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return err.code === "23505" || (typeof err.message === "string" && /UNIQUE constraint failed/i.test(err.message));
}
