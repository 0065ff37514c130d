import type { DatabaseConnection, Dialect, Driver, QueryExecutor } from "kysely";

/**
 * Callbacks run right after a transaction commits, in this process. The
 * outbox uses it to wake the local event dispatcher at commit instead of
 * waiting for a NOTIFY (which, on PostgreSQL, serialises the commits of every
 * notifying transaction on one lock) or a poll. Kysely has no commit hook, so
 * the dialect's driver is wrapped: the callbacks are kept per connection and
 * run once its commit succeeds, dropped on rollback.
 */
const managed = new WeakSet<DatabaseConnection>();
const pending = new WeakMap<DatabaseConnection, (() => void)[]>();

function fire(connection: DatabaseConnection): void {
  const fns = pending.get(connection);
  if (!fns) return;
  pending.delete(connection);
  for (const fn of fns) fn();
}

function withHooks(d: Driver): Driver {
  return {
    init: (o) => d.init(o),
    acquireConnection: async (o) => {
      const c = await d.acquireConnection(o);
      managed.add(c);
      return c;
    },
    beginTransaction: (c, s) => {
      // A callback left by a transaction that neither committed nor rolled back (its connection failed) is stale.
      pending.delete(c);
      return d.beginTransaction(c, s);
    },
    commitTransaction: async (c) => {
      try {
        await d.commitTransaction(c);
      } catch (e) {
        pending.delete(c);
        throw e;
      }
      fire(c);
    },
    rollbackTransaction: (c) => {
      pending.delete(c);
      return d.rollbackTransaction(c);
    },
    // A callback registered after a savepoint that is rolled back still runs at commit: callers only use it for wake-ups.
    ...(d.savepoint ? { savepoint: d.savepoint.bind(d) } : {}),
    ...(d.rollbackToSavepoint ? { rollbackToSavepoint: d.rollbackToSavepoint.bind(d) } : {}),
    ...(d.releaseSavepoint ? { releaseSavepoint: d.releaseSavepoint.bind(d) } : {}),
    releaseConnection: (c, o) => d.releaseConnection(c, o),
    destroy: (o) => d.destroy(o),
  };
}

/** The dialect with commit hooks (see `afterCommit`). */
export function withCommitHooks(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => withHooks(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/**
 * Runs `fn` right after the transaction `tx` commits (never if it rolls
 * back). Returns false, registering nothing, when `tx` is not a transaction
 * of a database opened with `withCommitHooks`: the caller then acts at once.
 */
export async function afterCommit(
  tx: { getExecutor(): QueryExecutor; isTransaction?: boolean },
  fn: () => void,
): Promise<boolean> {
  if (tx.isTransaction !== true) return false;
  let registered = false;
  await tx.getExecutor().provideConnection(async (c) => {
    if (!managed.has(c)) return;
    const fns = pending.get(c);
    if (fns) fns.push(fn);
    else pending.set(c, [fn]);
    registered = true;
  });
  return registered;
}
