import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type SqliteDatabase,
} from "kysely";

/**
 * SQLite with one writer and one reader, as WAL allows.
 *
 * Kysely's own SQLite dialect funnels every query through one connection
 * behind a mutex. A plain read issued while a transaction is open in the same
 * request (a settings lookup, a permission check through `k.db` instead of
 * the transaction) then waits for the connection the transaction holds, and
 * the request hangs for ever — the files service hit this once its settings
 * cache expired mid-upload. Here a SELECT outside a transaction runs at once
 * on a read-only connection and sees the last committed state, as it would on
 * PostgreSQL's pool; writes and transactions take the writer in turn.
 */
export class SqliteWriterReaderDialect implements Dialect {
  readonly #writer: SqliteDatabase;
  readonly #reader: SqliteDatabase;
  constructor(writer: SqliteDatabase, reader: SqliteDatabase) {
    this.#writer = writer;
    this.#reader = reader;
  }
  createAdapter = () => new MultiConnectionSqliteAdapter();
  createDriver = (): Driver => new WriterReaderDriver(this.#writer, this.#reader);
  createQueryCompiler = () => new SqliteQueryCompiler();
  createIntrospector = (db: Kysely<unknown>) => new SqliteIntrospector(db);
}

/** Tells Kysely not to serialise connections itself: the driver below does, for writes only. */
class MultiConnectionSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** Hands out one turn at a time on the writer, in request order. */
class WriterTurns {
  private tail: Promise<void> = Promise.resolve();
  async take(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise((r) => (release = r));
    await previous;
    return release;
  }
}

class WriterReaderDriver implements Driver {
  private readonly turns = new WriterTurns();
  private readonly writer: SqliteDatabase;
  private readonly reader: SqliteDatabase;
  constructor(writer: SqliteDatabase, reader: SqliteDatabase) {
    this.writer = writer;
    this.reader = reader;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new Handle(this.writer, this.reader, this.turns);
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await (c as Handle).begin();
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await (c as Handle).end("commit");
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await (c as Handle).end("rollback");
  }
  async savepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }
  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }
  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    this.reader.close();
    this.writer.close();
  }
}

/** One acquisition: reads go to the reader unless a transaction holds the writer for it. */
class Handle implements DatabaseConnection {
  private release: (() => void) | null = null;
  private readonly writer: SqliteDatabase;
  private readonly reader: SqliteDatabase;
  private readonly turns: WriterTurns;
  constructor(writer: SqliteDatabase, reader: SqliteDatabase, turns: WriterTurns) {
    this.writer = writer;
    this.reader = reader;
    this.turns = turns;
  }

  async begin(): Promise<void> {
    this.release = await this.turns.take();
    try {
      run(this.writer, CompiledQuery.raw("begin"));
    } catch (e) {
      await this.end(null);
      throw e;
    }
  }

  async end(command: "commit" | "rollback" | null): Promise<void> {
    try {
      if (command) run(this.writer, CompiledQuery.raw(command));
    } finally {
      this.release?.();
      this.release = null;
    }
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.release) return run(this.writer, q);
    if (SelectQueryNode.is(q.query)) return run(this.reader, q);
    const release = await this.turns.take();
    try {
      return run(this.writer, q);
    } finally {
      release();
    }
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(q.query)) throw new Error("only SELECT queries stream");
    const db = this.release ? this.writer : this.reader;
    for (const row of db.prepare(q.sql).iterate(q.parameters)) yield { rows: [row as R] };
  }
}

function run<R>(db: SqliteDatabase, { sql, parameters }: CompiledQuery): QueryResult<R> {
  const stmt = db.prepare(sql);
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return {
    insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
    numAffectedRows: changes != null ? BigInt(changes) : undefined,
    rows: [],
  };
}
