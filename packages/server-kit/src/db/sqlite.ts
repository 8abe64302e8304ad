import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { DatabaseHandle, QueryDb, ServiceDatabase } from './database.js';
import { createStatementObserver, type StatementListener, type StatementObserver } from './sql-telemetry.js';

export interface SqliteOptions<TTables extends Record<string, unknown>> {
  /** The database file; its directory is created when missing. */
  file: string;
  /** The service's SQLite tables. */
  tables: TTables;
  /** The drizzle-kit output folder holding the service's SQLite migrations. */
  migrationsFolder: string;
  /** Called once per SQL statement executed, with its kind and duration (metrics, statement-count tests). Default none. */
  onStatement?: StatementListener;
  /** Prepared statements kept for reuse per connection. Default 500. */
  statementCacheSize?: number;
  /**
   * NORMAL (the default): a commit survives a process crash but may be lost in a power cut or an OS
   * crash. FULL: it survives those too, for a little write latency; for data written before an
   * effect outside the database (the orders saga records a step before it calls a remote party).
   */
  synchronous?: 'NORMAL' | 'FULL';
}

/**
 * Opens a service's SQLite database the way every service wants it: WAL (readers never wait for
 * the writer), foreign keys enforced, a busy timeout instead of immediate SQLITE_BUSY, and each
 * distinct SQL text prepared once and reused.
 *
 * Two connections: `db` reads and is opened read-only; every write goes through `transaction()` (and
 * `migrate()`), which run one at a time on the writer. better-sqlite3 waits for a lock synchronously,
 * so a write on a second connection while a transaction awaits something would block the event loop
 * the transaction needs to finish: a self-deadlock until the busy timeout. With one writer and a queue
 * that cannot happen, and a stray write through `db` fails at once ("readonly database") in tests
 * rather than freezing a service in production.
 */
export function openSqliteDatabase<TTables extends Record<string, unknown>>(
  options: SqliteOptions<TTables>,
): ServiceDatabase<TTables> {
  mkdirSync(dirname(options.file), { recursive: true });
  // The writer first: it creates the file and switches it to WAL before the reader opens it.
  const writer = connectSqlite(options, 'writer');
  const reader = connectSqlite(options, 'reader');
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const result = queue.then(job, job);
    queue = result.catch(() => undefined);
    return result;
  };

  const handle = (db: QueryDb<TTables>): DatabaseHandle<TTables> => ({ dialect: 'sqlite', db, tables: options.tables });

  return {
    ...handle(reader.db),
    transaction<T>(work: (tx: DatabaseHandle<TTables>) => Promise<T>): Promise<T> {
      return enqueue(async () => {
        // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
        writer.db.run(sql`begin immediate`);
        try {
          const result = await work(handle(writer.db));
          writer.db.run(sql`commit`);
          return result;
        } catch (error) {
          writer.db.run(sql`rollback`);
          throw error;
        }
      });
    },
    migrate: () => enqueue(async () => migrate(writer.db, { migrationsFolder: options.migrationsFolder })),
    isReachable: async () => {
      try {
        return reader.probe.get() !== undefined;
      } catch {
        return false;
      }
    },
    close: async () => {
      await queue;
      writer.client.close();
      reader.client.close();
    },
  };
}

/** One connection to the file: the writer sets WAL, the sync level and foreign keys for the file; the reader is read-only. */
function connectSqlite<TTables extends Record<string, unknown>>(options: SqliteOptions<TTables>, role: 'writer' | 'reader') {
  const client = new Database(options.file, { readonly: role === 'reader' });
  if (role === 'writer') {
    client.pragma('journal_mode = WAL');
    client.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    client.pragma('foreign_keys = ON');
  }
  client.pragma('busy_timeout = 5000');
  // Prepared before statements are counted: a readiness probe is not the service's work.
  const probe = client.prepare('select 1 as ok');
  const observer = createStatementObserver({ system: 'sqlite', namespace: basename(options.file) }, options.onStatement);
  cachePreparedStatements(client, options.statementCacheSize ?? 500, observer);
  const db = drizzle({ client, schema: options.tables });
  return { client, db: db as QueryDb<TTables>, probe };
}

/**
 * drizzle asks better-sqlite3 to prepare a statement on every execution. Preparing means parsing
 * and planning the SQL again, so keep the prepared statements in a small LRU keyed by SQL text.
 * A cached statement may have been left in raw (array) mode by its last user: reset it.
 */
function cachePreparedStatements(client: Database.Database, capacity: number, observer: StatementObserver): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = client.prepare.bind(client);
  client.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached) {
      cache.delete(source);
      cache.set(source, cached);
      if (cached.reader) cached.raw(false);
      return cached;
    }
    const statement = withQueryInErrors(source, () => prepare(source));
    observeExecutions(statement, observer);
    cache.set(source, statement);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return statement;
  }) as typeof client.prepare;
}

/**
 * Each execution of a prepared statement (run, get, all, iterate) is timed and reported to the
 * observer (metrics, a span while tracing is on): here, at the driver, where its duration is known.
 * better-sqlite3's errors do not say which statement failed, where drizzle's Postgres errors do: give
 * them the statement's SQL text as `query` (never its parameters), for the log (serializeError).
 */
function observeExecutions(statement: Database.Statement, observer: StatementObserver): void {
  const { source } = statement;
  for (const method of ['run', 'get', 'all'] as const) {
    const call: (...args: unknown[]) => unknown = statement[method].bind(statement);
    Object.assign(statement, {
      [method]: (...args: unknown[]) => withQueryInErrors(source, () => observer.observe(source, () => call(...args))),
    });
  }
  const iterate: (...args: unknown[]) => Iterator<unknown> = statement.iterate.bind(statement);
  Object.assign(statement, {
    iterate: function* (...args: unknown[]) {
      try {
        yield* observer.observeIteration(source, () => iterate(...args));
      } catch (error) {
        withQueryInErrors(source, () => {
          throw error;
        });
      }
    },
  });
}

function withQueryInErrors<T>(query: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Error && !('query' in error)) Object.assign(error, { query });
    throw error;
  }
}
